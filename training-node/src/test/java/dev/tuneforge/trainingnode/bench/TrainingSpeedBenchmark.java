package dev.tuneforge.trainingnode.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TokenBatch;
import dev.tuneforge.trainingnode.train.Trainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Trains LoRA steps (or, with {@code --method full}, full fine-tuning steps that train every
 * weight) on random tokens with our trainer (LlamaModel, AdamW, the Trainer's loop) and with a
 * PyTorch eager implementation of the same model ({@code bench_speed.py}) on the same weights,
 * tokens and thread count, and prints step times, tokens/s and peak memory of both. Warm-up steps
 * are not timed. With several rounds the two sides take turns, so that a load from elsewhere on a
 * shared machine falls on both.
 */
public final class TrainingSpeedBenchmark {

  /**
   * One thread by default: on a shared 2-core machine, two OpenMP threads per side stall whenever
   * the host takes a core (steps 10-30 times slower at random); one thread does not.
   */
  static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("hidden", "256"),
          Map.entry("layers", "4"),
          Map.entry("heads", "8"),
          Map.entry("kv-heads", "4"),
          Map.entry("intermediate", "688"),
          Map.entry("vocab", "2048"),
          Map.entry("batch", "4"),
          Map.entry("seq", "256"),
          Map.entry("r", "16"),
          Map.entry("alpha", "32"),
          Map.entry("dropout", "0.05"),
          Map.entry("targets", "q_proj,k_proj,v_proj,o_proj"),
          Map.entry("steps", "20"),
          Map.entry("warmup", "3"),
          Map.entry("rounds", "3"),
          Map.entry("threads", "1"),
          Map.entry("seed", "42"),
          Map.entry("lr", "1e-4"),
          Map.entry("python", "/usr/bin/python3"),
          Map.entry("scripts", "training-node/src/test/python"),
          Map.entry("side", "both"),
          Map.entry("torch-blas", ""),
          Map.entry("profile", ""),
          Map.entry("method", "lora"));

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TrainingSpeedBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs options = BenchArgs.parse(args, DEFAULTS);
    int threads = options.applyThreads();
    ModelShape shape = ModelShape.of(options);
    int batch = options.integer("batch");
    int length = options.integer("seq");
    int warmup = options.integer("warmup");
    int steps = options.integer("steps");
    String side = options.text("side");
    LoraSettings lora =
        new LoraSettings(
            options.integer("r"),
            options.number("alpha"),
            options.number("dropout"),
            options.list("targets"));
    long seed = options.integer("seed");
    boolean full = options.text("method").equals("full");
    if (!full && !options.text("method").equals("lora")) {
      throw new IllegalArgumentException("--method is lora or full, not " + options.text("method"));
    }

    Path work = Files.createTempDirectory("tuneforge-bench-speed");
    shape.writeTo(work.resolve("model"), seed);
    long[][] tokens = randomTokens(batch * (warmup + steps), length, shape.vocab(), seed);
    writeInputs(work, tokens, length, options, lora, full);

    StepTimes ours = new StepTimes();
    StepTimes torch = new StepTimes();
    String torchVersion = "-";
    for (int round = 0; round < options.integer("rounds"); round++) {
      if (!side.equals("ours")) {
        // PyTorch runs in a child process while this JVM is idle, so two engines never share the
        // cores.
        long[] before = CpuSteal.now();
        JsonNode result = runPyTorch(options, work);
        torch.steal.add(before, CpuSteal.now());
        torch.runtime = result.path("blas").asString();
        torch.threads = result.path("threads").asInt();
        torch.add(seconds(result.path("step_seconds")));
        torch.peaks(-1, result.path("vmhwm_bytes").asLong());
        torch.firstLoss = result.path("first_loss").asDouble();
        torchVersion = result.path("torch").asString();
      }
      if (!side.equals("pytorch")) {
        long[] before = CpuSteal.now();
        runOurs(
            work.resolve("model"),
            full ? null : lora,
            tokens,
            batch,
            length,
            warmup,
            steps,
            options.number("lr"),
            seed,
            profile(options, "ours"),
            ours);
        ours.steal.add(before, CpuSteal.now());
      }
    }
    String oursName =
        side.equals("pytorch")
            ? "-"
            : "DJL "
                + Engine.getDjlVersion()
                + ", libtorch "
                + Engine.getEngine("PyTorch").getVersion();
    print(
        shape,
        full ? null : lora,
        batch,
        length,
        warmup,
        steps,
        options.integer("rounds"),
        threads,
        ours,
        oursName,
        torch,
        "torch " + torchVersion);
    if (options.text("profile").isEmpty()) {
      deleteRecursively(work);
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    try (var paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static long[][] randomTokens(int examples, int length, int vocab, long seed) {
    SplittableRandom random = new SplittableRandom(seed + 1);
    long[][] tokens = new long[examples][length];
    for (long[] row : tokens) {
      for (int t = 0; t < length; t++) {
        row[t] = random.nextInt(vocab);
      }
    }
    return tokens;
  }

  private static void writeInputs(
      Path work, long[][] tokens, int length, BenchArgs options, LoraSettings lora, boolean full)
      throws IOException {
    float[] flat = new float[tokens.length * length];
    for (int i = 0; i < tokens.length; i++) {
      for (int t = 0; t < length; t++) {
        flat[i * length + t] = tokens[i][t];
      }
    }
    SafeTensors.write(
        work.resolve("tokens.safetensors"),
        Map.of("input_ids", new Tensor(new long[] {tokens.length, length}, flat)),
        Map.of());
    ObjectNode settings = JSON.createObjectNode();
    settings.put("batch", options.integer("batch"));
    settings.put("warmup", options.integer("warmup"));
    settings.put("steps", options.integer("steps"));
    settings.put("threads", options.integer("threads"));
    settings.put("lr", options.number("lr"));
    settings.put("seed", options.integer("seed"));
    settings.put("method", full ? "full" : "lora");
    settings.put("r", lora.r());
    settings.put("alpha", lora.alpha());
    settings.put("dropout", lora.dropout());
    lora.targetModules().forEach(settings.putArray("targets")::add);
    Files.writeString(work.resolve("settings.json"), JSON.writeValueAsString(settings));
  }

  private static JsonNode runPyTorch(BenchArgs options, Path work)
      throws IOException, InterruptedException {
    Path script = Path.of(options.text("scripts"), "bench_speed.py");
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException(
          script.toAbsolutePath() + " not found; run from the repository root or pass --scripts");
    }
    ProcessBuilder builder =
        new ProcessBuilder(
                options.text("python"),
                script.toString(),
                work.toString(),
                profile(options, "pytorch"))
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    if (!options.text("torch-blas").isEmpty()) {
      // Debian's torch takes BLAS from libblas.so.3, by default the unoptimised reference BLAS.
      builder
          .environment()
          .merge("LD_LIBRARY_PATH", options.text("torch-blas"), (old, blas) -> blas + ":" + old);
    }
    // Thread counts equal to ours also where torch's set_num_threads does not reach (a pthreads
    // OpenBLAS).
    builder.environment().put("OPENBLAS_NUM_THREADS", options.text("threads"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(
          "the PyTorch side failed (exit " + process.exitValue() + "):\n" + output);
    }
    return JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElse("{}"));
  }

  /**
   * Our side: the real Trainer loop, timed between its per-step metric events; no LoRA settings:
   * full fine-tuning.
   */
  private static void runOurs(
      Path modelDir,
      @Nullable LoraSettings lora,
      long[][] tokens,
      int batch,
      int length,
      int warmup,
      int steps,
      double lr,
      long seed,
      String profile,
      StepTimes times)
      throws IOException {
    List<EncodedExample> examples = new ArrayList<>();
    for (int i = 0; i < tokens.length; i++) {
      examples.add(new EncodedExample(i + 1, tokens[i], tokens[i].clone(), false));
    }
    try (LlamaModel model =
        lora == null
            ? LlamaModel.loadForFullFineTuning(modelDir)
            : LlamaModel.load(modelDir, lora, seed)) {
      times.firstLoss = firstLoss(model, tokens, batch, length);
      List<Long> stamps = new ArrayList<>();
      Trainer trainer =
          Trainer.builder()
              .setModel(model)
              .setExamples(examples, 0)
              .optBatchSize(batch)
              .optMaxSteps(warmup + steps)
              .optLearningRate(lr)
              .optSeed(seed)
              .optListener(
                  event -> {
                    if (event.type() == JobEvent.Type.METRIC) {
                      stamps.add(System.nanoTime());
                      if (!profile.isEmpty() && event.step() == warmup) {
                        JniUtils.startProfile(false, true, false);
                      }
                    }
                  })
              .build();
      PeakMemory.resetHeapPeak();
      stamps.add(System.nanoTime());
      trainer.train();
      if (!profile.isEmpty()) {
        JniUtils.stopProfile(profile);
        System.err.println("ours: profile of the timed steps written to " + profile);
      }
      times.threads = JniUtils.getNumThreads();
      List<Double> timed = new ArrayList<>();
      for (int i = warmup + 1; i < stamps.size(); i++) {
        timed.add((stamps.get(i) - stamps.get(i - 1)) / 1e9);
      }
      System.err.printf(
          Locale.ROOT, "ours: %d steps timed, %s%n", timed.size(), milliseconds(timed));
      times.add(timed);
      times.peaks(PeakMemory.heapPeakBytes(), PeakMemory.residentPeakBytes());
    }
  }

  /**
   * The loss of the first batch before any step: LoRA B is zero, so both sides must agree on the
   * base model.
   */
  private static double firstLoss(LlamaModel model, long[][] tokens, int batch, int length) {
    long[] ids = new long[batch * length];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(tokens[b], 0, ids, b * length, length);
    }
    long[] mask = new long[ids.length];
    Arrays.fill(mask, 1);
    try (NDManager scope = NDManager.newBaseManager()) {
      return model
          .loss(scope, new TokenBatch(batch, length, ids, mask, ids.clone()), false)
          .getFloat();
    }
  }

  /** Where a side writes a Chrome trace of its timed steps, or "" for none. */
  private static String profile(BenchArgs options, String side) throws IOException {
    if (options.text("profile").isEmpty()) {
      return "";
    }
    Path folder = Files.createDirectories(Path.of(options.text("profile")));
    return folder.resolve(side + "-trace.json").toAbsolutePath().toString();
  }

  private static List<Double> seconds(JsonNode array) {
    List<Double> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asDouble()));
    return values;
  }

  private static String milliseconds(List<Double> seconds) {
    return seconds.stream().map(s -> String.format(Locale.ROOT, "%.0f", s * 1000)).toList() + " ms";
  }

  private static void print(
      ModelShape shape,
      @Nullable LoraSettings lora,
      int batch,
      int length,
      int warmup,
      int steps,
      int rounds,
      int threads,
      StepTimes ours,
      String oursName,
      StepTimes torch,
      String torchName) {
    long tokensPerStep = (long) batch * length;
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Training speed: one %s step (forward, backward, clip, AdamW), fp32, CPU%n",
        lora == null ? "full fine-tuning" : "LoRA");
    System.out.printf(Locale.ROOT, "  model      %s (Llama)%n", shape);
    System.out.printf(
        Locale.ROOT,
        "  batch      %d x %d tokens = %d tokens per step, random tokens, all labelled%n",
        batch,
        length,
        tokensPerStep);
    if (lora == null) {
      System.out.printf(
          Locale.ROOT,
          "  method     full fine-tuning: every weight trains (no weight decay on either side)%n");
    } else {
      System.out.printf(
          Locale.ROOT,
          "  LoRA       r %d, alpha %s, dropout %s on %s%n",
          lora.r(),
          lora.alpha(),
          lora.dropout(),
          String.join(",", lora.targetModules()));
    }
    System.out.printf(
        Locale.ROOT,
        "  timing     %d steps after %d warm-up steps, %d round(s); %d intra-op thread(s), 1 inter-op%n",
        steps,
        warmup,
        rounds,
        threads);
    System.out.println();
    String row = "  %-26s %22s %22s%n";
    System.out.printf(Locale.ROOT, row, "", "ours", "PyTorch eager");
    System.out.printf(Locale.ROOT, row, "runtime", oursName, torchName);
    System.out.printf(Locale.ROOT, row, "BLAS", "MKL (bundled)", torch.runtime);
    System.out.printf(
        Locale.ROOT, row, "intra-op threads in use", count(ours.threads), count(torch.threads));
    System.out.printf(
        Locale.ROOT, row, "median step (ms)", ms(ours.median(), ours), ms(torch.median(), torch));
    System.out.printf(
        Locale.ROOT, row, "mean step (ms)", ms(ours.mean(), ours), ms(torch.mean(), torch));
    System.out.printf(Locale.ROOT, row, "min / max step (ms)", range(ours), range(torch));
    System.out.printf(
        Locale.ROOT,
        row,
        "tokens/s (median step)",
        rate(tokensPerStep, ours),
        rate(tokensPerStep, torch));
    System.out.printf(Locale.ROOT, row, "peak JVM heap (MiB)", mib(ours.heapPeakBytes), "-");
    System.out.printf(
        Locale.ROOT,
        row,
        "peak RSS, VmHWM (MiB)",
        mib(ours.residentPeakBytes),
        mib(torch.residentPeakBytes));
    System.out.printf(
        Locale.ROOT, row, "loss of batch 1 at start", loss(ours.firstLoss), loss(torch.firstLoss));
    System.out.printf(Locale.ROOT, row, "CPU steal while running", steal(ours), steal(torch));
    System.out.println();
    if (!ours.seconds.isEmpty() && !torch.seconds.isEmpty()) {
      double ratio = ours.median() / torch.median();
      System.out.printf(
          Locale.ROOT,
          "  ours / PyTorch median step time: %.3fx (goal <= 1.05x: %s)%n",
          ratio,
          ratio <= 1.05 ? "met" : "NOT met");
      System.out.printf(
          Locale.ROOT,
          "  start losses differ by %.2g (relative): both sides compute the same model%n",
          Math.abs(ours.firstLoss - torch.firstLoss) / Math.abs(torch.firstLoss));
    }
    System.out.println(
        "  Note: our DJL engine runs libtorch 2.7.1 natives (MKL inside), the reference Debian's"
            + " python3-torch 1.13.1 (built without MKL; BLAS from libblas.so.3).");
    System.out.println(
        "  Heap is the sum of the heap pools' peaks during training, RSS the whole process's peak."
            + " Steal is CPU time the hypervisor gave elsewhere: above a few percent, timings are noisy.");
  }

  private static String ms(double seconds, StepTimes times) {
    return times.seconds.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", seconds * 1000);
  }

  private static String count(int value) {
    return value < 0 ? "-" : String.valueOf(value);
  }

  private static String steal(StepTimes times) {
    double percent = times.steal.percent();
    return Double.isNaN(percent) ? "-" : String.format(Locale.ROOT, "%.1f %%", percent);
  }

  private static String range(StepTimes times) {
    return times.seconds.isEmpty()
        ? "-"
        : String.format(Locale.ROOT, "%.1f / %.1f", times.min() * 1000, times.max() * 1000);
  }

  private static String rate(long tokens, StepTimes times) {
    return times.seconds.isEmpty()
        ? "-"
        : String.format(Locale.ROOT, "%.0f", tokens / times.median());
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }

  private static String loss(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.6f", value);
  }
}
