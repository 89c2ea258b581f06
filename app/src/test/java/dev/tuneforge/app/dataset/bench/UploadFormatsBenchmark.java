package dev.tuneforge.app.dataset.bench;

import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.app.dataset.ingest.DatasetNormalizer;
import dev.tuneforge.app.dataset.ingest.ParquetFixtures;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Not a test: times validation and normalisation of the same chat rows as JSONL, as one
 * pretty-printed JSON array and as Parquet (Snappy, row groups of 1 MB), on one thread, with the
 * peak heap of each. Arguments: rows (default 100,000), rounds (default 3).
 */
public final class UploadFormatsBenchmark {
  private UploadFormatsBenchmark() {}

  public static void main(String[] args) throws IOException {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("tuneforge-formats-");
    try {
      Path jsonl = dir.resolve("rows.jsonl");
      Path array = dir.resolve("rows.json");
      try (Writer lines = Files.newBufferedWriter(jsonl);
          Writer pretty = Files.newBufferedWriter(array)) {
        pretty.write("[\n");
        for (int i = 0; i < rows; i++) {
          String user = text(i);
          lines.write(
              "{\"messages\":[{\"role\":\"user\",\"content\":\""
                  + user
                  + "\"},{\"role\":\"assistant\",\"content\":\"total "
                  + i
                  + "\"}]}\n");
          pretty.write(
              (i == 0 ? "" : ",\n")
                  + "  {\n    \"messages\": [\n      {\n        \"role\": \"user\",\n"
                  + "        \"content\": \""
                  + user
                  + "\"\n      },\n      {\n        \"role\": \"assistant\",\n"
                  + "        \"content\": \"total "
                  + i
                  + "\"\n      }\n    ]\n  }");
        }
        pretty.write("\n]\n");
      }
      Path parquet =
          ParquetFixtures.write(
              dir.resolve("rows.parquet"),
              ParquetFixtures.CHAT,
              rows,
              1 << 20,
              (i, row) -> {
                row.append("id", (long) i);
                ParquetFixtures.message(row, "user", text(i));
                ParquetFixtures.message(row, "assistant", "total " + i);
              });
      System.out.printf(
          "%,d rows: JSONL %.1f MB, JSON array %.1f MB, Parquet %.1f MB%n",
          rows, mb(jsonl), mb(array), mb(parquet));
      System.out.println("| input | MB/s of its own size | rows/s | peak heap |");
      System.out.println("| --- | --- | --- | --- |");
      time("JSONL", jsonl, null, rounds);
      time("JSON array (pretty-printed)", array, null, rounds);
      time("Parquet (Snappy)", parquet, DatasetFormat.PARQUET, rounds);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(dir);
    }
  }

  private static String text(int i) {
    return ("Receipt " + i + " TOTAL RM " + (i % 997) + ".50 café ").repeat(20);
  }

  private static double mb(Path file) throws IOException {
    return Files.size(file) / 1e6;
  }

  private static void time(String name, Path file, @Nullable DatasetFormat format, int rounds)
      throws IOException {
    run(file, format);
    double best = Double.MAX_VALUE;
    long heap = 0;
    int rows = 0;
    for (int round = 0; round < rounds; round++) {
      System.gc();
      resetPeaks();
      long start = System.nanoTime();
      ValidationReport report = run(file, format);
      if (!report.valid()) {
        throw new IllegalStateException(report.summary());
      }
      rows = report.rows();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
      heap = Math.max(heap, peakHeap());
    }
    System.out.printf(
        "| %s | %.1f | %,.0f | %d MB |%n", name, mb(file) / best, rows / best, heap >> 20);
  }

  private static ValidationReport run(Path file, @Nullable DatasetFormat format)
      throws IOException {
    return new DatasetNormalizer(format, false, false, null, DatasetSplit.none())
        .normalize(file, OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
