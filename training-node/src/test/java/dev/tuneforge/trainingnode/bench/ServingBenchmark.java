package dev.tuneforge.trainingnode.bench;

import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.trainingnode.generate.LoraFixtures;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.serve.Completion;
import dev.tuneforge.trainingnode.serve.GenerationStream;
import dev.tuneforge.trainingnode.serve.ServingEngine;
import dev.tuneforge.trainingnode.train.PeftAdapterWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serving on the demo model: time to first token and tokens per second with 1, 4 and 16 generations
 * submitted at once (SROIE receipts, each with one of several tenants' adapters or the base),
 * decoded together by the engine's continuous batch, against the same generations done one at a
 * time. Every generation of a round is submitted at its start, so one at a time, the last waits for
 * all before it: that wait is what a caller of a node without batching sees.
 */
public final class ServingBenchmark {

  static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("data", "../shared/datasets/sroie/validation.jsonl"),
          Map.entry("concurrency", "1,4,16"),
          Map.entry("max-tokens", "64"),
          Map.entry("prompt-chars", "300"),
          Map.entry("adapters", "3"),
          Map.entry("runs", "3"),
          Map.entry("threads", "1"));

  private ServingBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs options = BenchArgs.parse(args, DEFAULTS);
    int threads = options.applyThreads();
    Path dir = Files.createTempDirectory("tuneforge-bench-serving");
    Path model = dir.resolve("model");
    DemoModelWriter.write(model, 42);
    List<Path> adapters = new ArrayList<>();
    for (int i = 0; i < options.integer("adapters"); i++) {
      Path folder = dir.resolve("adapter-" + i);
      try (LlamaModel trained = LlamaModel.load(model, LoraFixtures.ALL_PROJECTIONS, i)) {
        LoraFixtures.randomizeLoraB(trained, i);
        PeftAdapterWriter.write(folder, LoraFixtures.ALL_PROJECTIONS, "demo", trained.exportLora());
      }
      adapters.add(folder);
    }
    List<List<ChatMessage>> prompts =
        prompts(Path.of(options.text("data")), options.integer("prompt-chars"));
    int maxTokens = options.integer("max-tokens");
    System.out.printf(
        Locale.ROOT,
        "demo model, %d threads, %d adapters + base, max %d new tokens, receipts cut to %d chars%n",
        threads,
        adapters.size(),
        maxTokens,
        options.integer("prompt-chars"));
    System.out.println(
        "concurrent  mode        TTFT mean ms  TTFT max ms  tokens/s  tokens/CPU-s  tokens");
    try (ServingEngine engine =
        ServingEngine.builder()
            .setModelDirectory(model)
            .optAdapterCacheSize(adapters.size())
            .build()) {
      round(engine, completions(engine, prompts, adapters, 2, maxTokens), true); // warm-up
      for (int run = 1; run <= options.integer("runs"); run++) {
        for (String level : options.text("concurrency").split(",")) {
          int concurrent = Integer.parseInt(level.strip());
          List<Completion> work = completions(engine, prompts, adapters, concurrent, maxTokens);
          print(concurrent, "one-by-one", round(engine, work, false));
          print(concurrent, "batched", round(engine, work, true));
        }
      }
    }
  }

  /**
   * With one intra-op thread PyTorch computes on the calling thread, so that thread's CPU time is
   * the work done, whatever else loads the machine.
   */
  record Figures(double[] firstTokenMillis, int tokens, double seconds, double cpuSeconds) {}

  static Figures round(ServingEngine engine, List<Completion> work, boolean together) {
    double[] firstToken = new double[work.size()];
    int[] tokens = new int[1];
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long cpuStarted = cpu.getCurrentThreadCpuTime();
    long started = System.nanoTime();
    for (int i = 0; i < work.size(); i++) {
      int index = i;
      engine.submit(
          work.get(i),
          new GenerationStream() {
            @Override
            public void onToken(long tokenId, String delta) {
              if (firstToken[index] == 0) {
                firstToken[index] = (System.nanoTime() - started) / 1e6;
              }
              tokens[0]++;
            }

            @Override
            public void onFinish(String delta, String reason, int prompt, int completion) {}

            @Override
            public void onError(String message) {
              throw new IllegalStateException(message);
            }
          });
      if (!together) {
        engine.runUntilIdle();
      }
    }
    engine.runUntilIdle();
    return new Figures(
        firstToken,
        tokens[0],
        (System.nanoTime() - started) / 1e9,
        (cpu.getCurrentThreadCpuTime() - cpuStarted) / 1e9);
  }

  static List<Completion> completions(
      ServingEngine engine,
      List<List<ChatMessage>> prompts,
      List<Path> adapters,
      int count,
      int maxTokens) {
    List<Completion> work = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int pick = i % (adapters.size() + 1);
      Path adapter = pick == adapters.size() ? null : adapters.get(pick);
      work.add(
          Completion.greedy(
              engine.encodeChat(prompts.get(i % prompts.size())),
              adapter == null ? null : adapter.getFileName().toString(),
              adapter,
              maxTokens));
    }
    return work;
  }

  static List<List<ChatMessage>> prompts(Path data, int chars) throws Exception {
    JsonMapper json = JsonMapper.builder().build();
    List<List<ChatMessage>> prompts = new ArrayList<>();
    for (String line : Files.readAllLines(data)) {
      JsonNode messages = json.readTree(line).path("messages");
      String system = messages.get(0).path("content").asString();
      String receipt = messages.get(1).path("content").asString();
      prompts.add(
          List.of(
              ChatMessage.of("system", system),
              ChatMessage.of("user", receipt.substring(0, Math.min(chars, receipt.length())))));
      if (prompts.size() == 16) {
        break;
      }
    }
    return prompts;
  }

  static void print(int concurrent, String mode, Figures figures) {
    System.out.printf(
        Locale.ROOT,
        "%10d  %-10s  %12.0f  %11.0f  %8.1f  %12.1f  %6d%n",
        concurrent,
        mode,
        Arrays.stream(figures.firstTokenMillis()).average().orElse(0),
        Arrays.stream(figures.firstTokenMillis()).max().orElse(0),
        figures.tokens() / figures.seconds(),
        figures.tokens() / figures.cpuSeconds(),
        figures.tokens());
  }
}
