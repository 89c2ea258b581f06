package dev.tuneforge.app.dataset.bench;

import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.app.dataset.ingest.DatasetNormalizer;
import dev.tuneforge.app.dataset.ingest.UploadPassParts;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Throughput of the dataset upload pass on one thread (validation, quality report and the canonical
 * file with its SHA-256, as an upload runs it), against plain line scanning of the same file as the
 * I/O ceiling, and of its parts. Not a test: run it by hand (docs/datasets.md, "Throughput").
 *
 * <p>Arguments: the file size in MB (default 1024) and the rounds (default 3). Each pass is
 * reported by its fastest round, in MB/s of wall time and per second of this thread's CPU time
 * (which other processes on a shared machine disturb less), with rows/s and the peak heap.
 */
public final class DatasetValidationBenchmark {
  private static final String[] WORDS = {
    "receipt",
    "total",
    "amount",
    "store",
    "date",
    "café",
    "tax",
    "item",
    "price",
    "€12.50",
    "address",
    "street",
    "invoice",
    "number",
    "\\\"quoted\\\"",
    "line\\nbreak",
    "東京",
    "payment"
  };
  private static final long WARM_UP_MB = 32;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws IOException {
    long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path file = Files.createTempFile(Path.of("/tmp"), "tuneforge-bench-", ".jsonl");
    Path warmUp = Files.createTempFile(Path.of("/tmp"), "tuneforge-bench-warm-up-", ".jsonl");
    try {
      long rows = generate(file, megabytes << 20);
      long warmUpRows = generate(warmUp, Math.min(megabytes, WARM_UP_MB) << 20);
      long bytes = Files.size(file);
      System.out.printf(
          "file: %s, %.0f MB, %d rows; max heap %d MB%n",
          file, bytes / 1048576.0, rows, Runtime.getRuntime().maxMemory() >> 20);
      System.out.printf(
          "best of %d rounds%n%-42s %9s %9s %10s %8s %10s%n",
          rounds, "pass", "MB/s", "MB/cpu-s", "rows/s", "s", "peak heap");
      Pass[] passes = {
        new Pass("line scan (I/O ceiling)", DatasetValidationBenchmark::scanLines),
        new Pass("part: lines + UTF-8 check", UploadPassParts::lines),
        new Pass("part: + parse and check rows", UploadPassParts::parse),
        new Pass("validate + normalise (canonical, SHA-256)", UploadPassParts::normalise),
        new Pass("part: parse + quality report", UploadPassParts::quality),
        new Pass("validate + quality report", DatasetValidationBenchmark::validate),
        new Pass("upload pass: all of the above", UploadPassParts::upload)
      };
      // Every pass first runs on a smaller file, which warms the JIT; the line scan then reads
      // the measured file into the page cache.
      for (Pass pass : passes) {
        check(pass, pass.run().run(warmUp), warmUpRows);
      }
      scanLines(file);
      // Rounds of all passes in turn, so that a load from elsewhere on a shared machine falls on
      // every pass alike; each pass's fastest run is reported, with the largest peak heap of its
      // runs.
      Timing[] best = new Timing[passes.length];
      long[] peaks = new long[passes.length];
      for (int round = 0; round < rounds; round++) {
        for (int p = 0; p < passes.length; p++) {
          Timing run = measure(passes[p], file, rows);
          best[p] = best[p] == null || run.seconds() < best[p].seconds() ? run : best[p];
          peaks[p] = Math.max(peaks[p], run.peakHeap());
        }
      }
      double size = bytes / 1048576.0;
      double[] mbPerSecond = new double[passes.length];
      for (int p = 0; p < passes.length; p++) {
        mbPerSecond[p] = size / best[p].seconds();
        System.out.printf(
            "%-42s %9.1f %9.1f %10.0f %8.2f %7d MB%n",
            passes[p].name(),
            mbPerSecond[p],
            size / best[p].cpuSeconds(),
            rows / best[p].seconds(),
            best[p].seconds(),
            peaks[p] >> 20);
      }
      System.out.printf(
          "ratio to the line scan: validate + normalise %.2f, full upload pass %.2f%n",
          mbPerSecond[3] / mbPerSecond[0], mbPerSecond[6] / mbPerSecond[0]);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(warmUp);
    }
  }

  private interface Run {
    long run(Path file) throws IOException;
  }

  private record Pass(String name, Run run) {}

  private static void check(Pass pass, long counted, long rows) {
    if (counted != rows) {
      throw new IllegalStateException(pass.name() + " saw " + counted + " rows, not " + rows);
    }
  }

  /** One timed run of a pass. */
  private record Timing(double seconds, double cpuSeconds, long peakHeap) {}

  private static Timing measure(Pass pass, Path file, long rows) throws IOException {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    long start = System.nanoTime();
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    long counted = pass.run().run(file);
    double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .mapToLong(p -> p.getPeakUsage().getUsed())
            .sum();
    check(pass, counted, rows);
    return new Timing(seconds, cpuSeconds, peak);
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

  private static long validate(Path file) throws IOException {
    ValidationReport report;
    try (InputStream in = Files.newInputStream(file)) {
      report = new DatasetNormalizer(null, false).normalize(in, null);
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
        row.append(
                "{\"messages\":[{\"role\":\"system\",\"content\":\"Extract the fields as JSON.\"},")
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
