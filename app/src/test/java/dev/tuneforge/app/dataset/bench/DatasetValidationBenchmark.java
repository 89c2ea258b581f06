package dev.tuneforge.app.dataset.bench;

import dev.tuneforge.app.dataset.DatasetNormalizer;
import dev.tuneforge.app.dataset.ValidationReport;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Throughput of validating and normalising chat JSONL on one thread, against plain line
 * scanning of the same file as the I/O ceiling. Not a test: run it by hand (docs/datasets.md).
 *
 * <p>Arguments: the file size in MB (default 1024).
 */
public final class DatasetValidationBenchmark {
  private static final String[] WORDS = {
    "receipt", "total", "amount", "store", "date", "café", "tax", "item", "price", "€12.50",
    "address", "street", "invoice", "number", "\\\"quoted\\\"", "line\\nbreak", "東京", "payment"
  };

  public static void main(String[] args) throws IOException {
    long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    Path file = Files.createTempFile(Path.of("/tmp"), "tuneforge-bench-", ".jsonl");
    Path canonical = Files.createTempFile(Path.of("/tmp"), "tuneforge-bench-", ".canonical.jsonl");
    try {
      long rows = generate(file, megabytes << 20);
      long bytes = Files.size(file);
      System.out.printf("file: %s, %.0f MB, %d rows%n", file, bytes / 1048576.0, rows);
      // A first pass of each warms the JIT and the page cache; the second is measured.
      scanLines(file);
      double ceiling = measure("line scan (I/O ceiling)", bytes, rows, () -> scanLines(file));
      validate(file, null);
      double validateOnly = measure("validate", bytes, rows, () -> validate(file, null));
      double normalise = measure("validate + write canonical", bytes, rows, () -> validate(file, canonical));
      System.out.printf("ratio to the line scan: validate %.2f, validate + write %.2f%n",
          validateOnly / ceiling, normalise / ceiling);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(canonical);
    }
  }

  private interface Run {
    long run() throws IOException;
  }

  private static double measure(String name, long bytes, long rows, Run run) throws IOException {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    long start = System.nanoTime();
    long counted = run.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed())
        .sum();
    double mbPerSecond = bytes / 1048576.0 / seconds;
    System.out.printf("%-28s %7.1f MB/s %10.0f rows/s  %6.2f s  peak heap %4d MB  (%d rows)%n",
        name, mbPerSecond, rows / seconds, seconds, peak >> 20, counted);
    return mbPerSecond;
  }

  private static long scanLines(Path file) throws IOException {
    long lines = 0;
    byte[] chunk = new byte[1 << 16];
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        for (int i = 0; i < n; i++) {
          if (chunk[i] == '\n') {
            lines++;
          }
        }
      }
    }
    return lines;
  }

  private static long validate(Path file, Path canonical) throws IOException {
    ValidationReport report;
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = canonical == null ? null : new BufferedOutputStream(Files.newOutputStream(canonical), 1 << 16)) {
      report = new DatasetNormalizer(null, false).normalize(in, out);
    }
    if (!report.valid()) {
      throw new IllegalStateException(report.summary());
    }
    return report.rows();
  }

  private static long generate(Path file, long size) throws IOException {
    Random random = new Random(42);
    long rows = 0;
    long written = 0;
    StringBuilder row = new StringBuilder();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      while (written < size) {
        row.setLength(0);
        row.append("{\"messages\":[{\"role\":\"system\",\"content\":\"Extract the fields as JSON.\"},")
            .append("{\"role\":\"user\",\"content\":\"");
        words(row, random, 150 + random.nextInt(300));
        row.append("\"},{\"role\":\"assistant\",\"content\":\"");
        words(row, random, 20 + random.nextInt(60));
        row.append("\",\"weight\":1}]}\n");
        byte[] bytes = row.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        written += bytes.length;
        rows++;
      }
    }
    return rows;
  }

  private static void words(StringBuilder row, Random random, int count) {
    for (int i = 0; i < count; i++) {
      row.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
  }
}
