package dev.tuneforge.launcher;

import dev.tuneforge.app.dataset.tokens.TokenLengthCounter;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Throughput of counting token lengths as the app's background job does ({@link
 * TokenLengthCounter}: chat template rendering plus the Hugging Face tokenizer, one thread) on a
 * chat JSONL file, SROIE by default. Not a test: run it by hand (docs/datasets.md, "Token
 * lengths").
 *
 * <p>Arguments: the JSONL file (default the shared SROIE training file), a Hugging Face model
 * directory (default the demo model, written to a temporary folder), the passes to time (default
 * 5); an empty argument takes its default.
 */
public final class TokenLengthBenchmark {

  private TokenLengthBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path file =
        args.length > 0 && !args[0].isBlank()
            ? Path.of(args[0])
            : PlatformTestSupport.sroieTrainingFile();
    Path written = null;
    Path modelDir;
    if (args.length > 1 && !args[1].isBlank()) {
      modelDir = Path.of(args[1]);
    } else {
      written = Files.createTempDirectory("tuneforge-bench-model-");
      DemoModelWriter.write(written, DemoModel.SEED);
      modelDir = written;
    }
    int passes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    try (TokenLengthCounter counter = TokenLengthCounter.forModel(modelDir)) {
      List<Conversation> rows = ChatDataset.read(file);
      long bytes = Files.size(file);
      System.out.printf(
          "file: %s, %.2f MB, %d rows; model: %s%n",
          file, bytes / 1048576.0, rows.size(), modelDir);
      long tokens = pass(counter, rows);
      System.out.printf(
          "warm-up pass done, %d tokens (%.1f per row)%n", tokens, (double) tokens / rows.size());
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      double best = Double.MAX_VALUE;
      double bestCpu = Double.MAX_VALUE;
      for (int i = 0; i < passes; i++) {
        long started = System.nanoTime();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        pass(counter, rows);
        double seconds = (System.nanoTime() - started) / 1e9;
        // On a shared machine the thread's CPU time says what one core does; wall time what this
        // run got.
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
        best = Math.min(best, seconds);
        bestCpu = Math.min(bestCpu, cpu);
        System.out.printf(
            "pass %d: %.3f s wall (%.0f rows/s, %.2f MB/s, %.0f tokens/s), %.3f s CPU%n",
            i + 1,
            seconds,
            rows.size() / seconds,
            bytes / 1048576.0 / seconds,
            tokens / seconds,
            cpu);
      }
      System.out.printf(
          "best wall: %.0f rows/s, %.2f MB/s, %.0f tokens/s%n",
          rows.size() / best, bytes / 1048576.0 / best, tokens / best);
      System.out.printf(
          "per CPU second (one thread): %.0f rows/s, %.2f MB/s, %.0f tokens/s%n",
          rows.size() / bestCpu, bytes / 1048576.0 / bestCpu, tokens / bestCpu);
    } finally {
      if (written != null) {
        try (Stream<Path> files = Files.walk(written)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static long pass(TokenLengthCounter counter, List<Conversation> rows) {
    long tokens = 0;
    for (Conversation row : rows) {
      tokens += counter.measure(row, Integer.MAX_VALUE).length();
    }
    return tokens;
  }
}
