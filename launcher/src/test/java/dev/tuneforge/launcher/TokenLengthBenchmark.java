package dev.tuneforge.launcher;

import dev.tuneforge.app.dataset.tokens.TokenLengthCounter;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.node.model.DemoModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Throughput of counting token lengths as the app's background job does ({@link
 * TokenLengthCounter}: chat template rendering plus the Hugging Face tokenizer, one thread) on a
 * chat JSONL file, SROIE by default. Not a test: run it by hand (docs/datasets.md, "Token lengths").
 *
 * <p>Arguments: the JSONL file (default the shared SROIE training file), a Hugging Face model
 * directory (default the demo model, written to a temporary folder), the passes to time (default 5).
 */
public final class TokenLengthBenchmark {

  private TokenLengthBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path file = args.length > 0 ? Path.of(args[0]) : PlatformTestSupport.sroieTrainingFile();
    Path written = null;
    Path modelDir;
    if (args.length > 1) {
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
      System.out.printf("file: %s, %.2f MB, %d rows; model: %s%n", file, bytes / 1048576.0, rows.size(), modelDir);
      long tokens = pass(counter, rows);
      System.out.printf("warm-up pass done, %d tokens (%.1f per row)%n", tokens, (double) tokens / rows.size());
      double best = Double.MAX_VALUE;
      for (int i = 0; i < passes; i++) {
        long started = System.nanoTime();
        pass(counter, rows);
        double seconds = (System.nanoTime() - started) / 1e9;
        best = Math.min(best, seconds);
        System.out.printf("pass %d: %.3f s, %.0f rows/s, %.2f MB/s, %.0f tokens/s%n",
            i + 1, seconds, rows.size() / seconds, bytes / 1048576.0 / seconds, tokens / seconds);
      }
      System.out.printf("best: %.0f rows/s, %.2f MB/s, %.0f tokens/s%n",
          rows.size() / best, bytes / 1048576.0 / best, tokens / best);
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
