package dev.tuneforge.launcher;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.app.dataset.tokens.TokenLengthCounter;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Throughput of counting token lengths as the app's background job does ({@link
 * TokenLengthCounter}: chat template rendered once per conversation shape and spliced, segments
 * batch-encoded by the Rust tokenizer on all cores) on a chat JSONL file, SROIE by default, against
 * the tokenizer's own batch encoding ({@link HuggingFaceTokenizer#batchEncode(String[], boolean,
 * boolean)}) of the same rendered text in batches of the same rows. Not a test: run it by hand
 * (docs/datasets.md, "Token lengths").
 *
 * <p>Each pass also prints where the counter's time went ({@link TokenLengthCounter#phases()}:
 * rendering, cutting into words, native encoding) and the time to load the counter (tokenizer and
 * template); the load average is printed before and after, since this machine is shared.
 *
 * <p>Arguments: the JSONL file (default the shared SROIE training file; {@code mixed} writes {@link
 * TokenLengthCorpus}'s SROIE and Markdown rows to a temporary file and takes that), a Hugging Face
 * model directory (default the demo model, written to a temporary folder), the passes to time
 * (default 5), how many times the file's rows are repeated in a pass (default 4); an empty argument
 * takes its default.
 */
public final class TokenLengthBenchmark {
  private static final int BATCH_ROWS = 256;

  private TokenLengthBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path corpus = null;
    Path file;
    if (args.length > 0 && args[0].equals("mixed")) {
      corpus = Files.createTempFile("tuneforge-token-corpus-", ".jsonl");
      TokenLengthCorpus.write(PlatformTestSupport.sroieTrainingFile(), corpus);
      file = corpus;
    } else {
      file =
          args.length > 0 && !args[0].isBlank()
              ? Path.of(args[0])
              : PlatformTestSupport.sroieTrainingFile();
    }
    System.out.println("load average before: " + loadAverage());
    Path written = null;
    Path modelDir;
    if (args.length > 1 && !args[1].isBlank()) {
      modelDir = Path.of(args[1]);
    } else {
      written = Files.createTempDirectory("tuneforge-bench-model-");
      DemoModelWriter.write(written, DemoModel.SEED);
      modelDir = written;
    }
    int passes = args.length > 2 && !args[2].isBlank() ? Integer.parseInt(args[2]) : 5;
    int repeat = args.length > 3 && !args[3].isBlank() ? Integer.parseInt(args[3]) : 4;
    try {
      List<Conversation> once = ChatDataset.read(file);
      List<Conversation> rows = new ArrayList<>();
      for (int r = 0; r < repeat; r++) {
        rows.addAll(once);
      }
      double megabytes = Files.size(file) * (double) repeat / 1048576.0;
      List<String[]> rendered = rendered(modelDir, rows);
      double renderedMegabytes =
          rendered.stream()
                  .flatMap(Arrays::stream)
                  .mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length)
                  .sum()
              / 1048576.0;
      System.out.printf(
          "file: %s ×%d, %.2f MB of JSONL, %d rows, %.2f MB rendered; model: %s; %d cores%n",
          file,
          repeat,
          megabytes,
          rows.size(),
          renderedMegabytes,
          modelDir,
          Runtime.getRuntime().availableProcessors());
      try (HuggingFaceTokenizer tokenizer = TokenLengthCounter.loadTokenizer(modelDir)) {
        long tokens = counterPass(modelDir, rows, new long[4]);
        long encoded = tokenizerPass(tokenizer, rendered);
        System.out.printf(
            "warm-up done, %d tokens (%.1f per row; the tokenizer alone: %d)%n",
            tokens, (double) tokens / rows.size(), encoded);
        double[] counter = new double[passes];
        double[] own = new double[passes];
        for (int i = 0; i < passes; i++) {
          // Alternated, so that both see the same load on a shared machine.
          long started = System.nanoTime();
          long cpu = processCpu();
          long[] phases = new long[4];
          counterPass(modelDir, rows, phases);
          counter[i] = (System.nanoTime() - started) / 1e9;
          double counterCpu = (processCpu() - cpu) / 1e9;
          started = System.nanoTime();
          cpu = processCpu();
          tokenizerPass(tokenizer, rendered);
          own[i] = (System.nanoTime() - started) / 1e9;
          double ownCpu = (processCpu() - cpu) / 1e9;
          System.out.printf(
              "pass %d: counter %.3f s (%.2f MB/s of JSONL, %.2f MB/s rendered, %.0f rows/s,"
                  + " %.2f s CPU); tokenizer batchEncode %.3f s (%.2f MB/s rendered, %.2f s CPU);"
                  + " ratio %.2f%n",
              i + 1,
              counter[i],
              megabytes / counter[i],
              renderedMegabytes / counter[i],
              rows.size() / counter[i],
              counterCpu,
              own[i],
              renderedMegabytes / own[i],
              ownCpu,
              counter[i] / own[i]);
          System.out.printf(
              "  counter phases: load %.3f s, render %.3f s, pre-tokenize %.3f s, encode %.3f s;"
                  + " without loading %.2f MB/s of JSONL, %.2f MB/s rendered, ratio %.2f%n",
              phases[0] / 1e9,
              phases[1] / 1e9,
              phases[2] / 1e9,
              phases[3] / 1e9,
              megabytes / (counter[i] - phases[0] / 1e9),
              renderedMegabytes / (counter[i] - phases[0] / 1e9),
              (counter[i] - phases[0] / 1e9) / own[i]);
        }
        double[] ratios = new double[passes];
        for (int i = 0; i < passes; i++) {
          ratios[i] = counter[i] / own[i];
        }
        System.out.printf(
            "counter: median %.2f MB/s of JSONL (%.2f–%.2f), %.2f MB/s rendered%n",
            megabytes / median(counter),
            megabytes / max(counter),
            megabytes / min(counter),
            renderedMegabytes / median(counter));
        System.out.printf(
            "tokenizer batchEncode: median %.2f MB/s rendered (%.2f–%.2f)%n",
            renderedMegabytes / median(own),
            renderedMegabytes / max(own),
            renderedMegabytes / min(own));
        System.out.printf(
            "counter time ÷ tokenizer time: median %.2f (%.2f–%.2f)%n",
            median(ratios), min(ratios), max(ratios));
      }
      System.out.println("load average after: " + loadAverage());
    } finally {
      if (corpus != null) {
        Files.deleteIfExists(corpus);
      }
      if (written != null) {
        try (Stream<Path> files = Files.walk(written)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /**
   * One count as the background job makes it: a new counter, the rows in batches; {@code phases}
   * gets the nanoseconds spent loading the counter, rendering, cutting into words and encoding.
   */
  private static long counterPass(Path modelDir, List<Conversation> rows, long[] phases)
      throws IOException {
    long tokens = 0;
    long loading = System.nanoTime();
    try (TokenLengthCounter counter = TokenLengthCounter.forModel(modelDir)) {
      phases[0] = System.nanoTime() - loading;
      for (int from = 0; from < rows.size(); from += BATCH_ROWS) {
        for (TokenLengthCounter.Row row :
            counter.measureAll(
                rows.subList(from, Math.min(rows.size(), from + BATCH_ROWS)), Integer.MAX_VALUE)) {
          tokens += row.length();
        }
      }
      TokenLengthCounter.Phases spent = counter.phases();
      phases[1] = spent.renderNanos();
      phases[2] = spent.preTokenizeNanos();
      phases[3] = spent.encodeNanos();
    }
    return tokens;
  }

  /** The segments the counter tokenizes, each row rendered in full, in batches of its rows. */
  private static List<String[]> rendered(Path modelDir, List<Conversation> rows)
      throws IOException {
    ChatTemplate template = ChatTemplate.load(modelDir);
    List<String[]> batches = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += BATCH_ROWS) {
      List<String> texts = new ArrayList<>();
      for (Conversation row : rows.subList(from, Math.min(rows.size(), from + BATCH_ROWS))) {
        template.segments(row.messages()).forEach(s -> texts.add(s.text()));
      }
      batches.add(texts.toArray(String[]::new));
    }
    return batches;
  }

  private static long tokenizerPass(HuggingFaceTokenizer tokenizer, List<String[]> batches) {
    long tokens = 0;
    for (String[] batch : batches) {
      for (Encoding encoding : tokenizer.batchEncode(batch, false, false)) {
        tokens += encoding.getIds().length;
      }
    }
    return tokens;
  }

  /** The 1, 5 and 15 minute load averages, as /proc/loadavg has them. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return String.format(
          "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }
}
