package dev.tuneforge.app.dataset.bench;

import dev.tuneforge.app.dataset.CsvMapping;
import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.app.dataset.ingest.DatasetNormalizer;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Throughput and peak heap of reading a CSV upload (SROIE receipts repeated: quoted OCR text with
 * commas and newlines, quoted JSON answers) with a column mapping and a seeded 10 % validation
 * split, writing both canonical files; then the same rows as chat JSONL, for comparison. Not a
 * test: run it by hand (docs/datasets.md).
 *
 * <p>Arguments: the file size in MB (default 200) and the folder holding sroie/train.jsonl.
 */
public final class CsvSplitBenchmark {
  public static void main(String[] args) throws IOException {
    long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 200;
    Path sroie = Path.of(args.length > 1 ? args[1] : "../shared/datasets", "sroie", "train.jsonl");
    Path csv = Files.createTempFile(Path.of("/tmp"), "tuneforge-bench-", ".csv");
    Path train = Files.createTempFile(Path.of("/tmp"), "tuneforge-bench-", ".train.jsonl");
    Path validation =
        Files.createTempFile(Path.of("/tmp"), "tuneforge-bench-", ".validation.jsonl");
    try {
      long rows = generate(sroie, csv, megabytes << 20);
      long bytes = Files.size(csv);
      System.out.printf("file: %s, %.0f MB, %d rows%n", csv, bytes / 1048576.0, rows);
      run(csv, train, validation);
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      long start = System.nanoTime();
      DatasetNormalizer normalizer = run(csv, train, validation);
      double seconds = (System.nanoTime() - start) / 1e9;
      long peak =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .mapToLong(p -> p.getPeakUsage().getUsed())
              .sum();
      System.out.printf(
          "csv + map + split 10%% + write: %.1f MB/s, %.0f rows/s, %.2f s, peak heap %d MB, "
              + "%d validation rows of %d (%.2f %%)%n",
          bytes / 1048576.0 / seconds,
          rows / seconds,
          seconds,
          peak >> 20,
          normalizer.validationRows(),
          rows,
          100.0 * normalizer.validationRows() / rows);
      Path jsonl = Files.createTempFile(Path.of("/tmp"), "tuneforge-bench-", ".jsonl");
      try {
        generateJsonl(sroie, jsonl, rows);
        start = System.nanoTime();
        DatasetNormalizer same =
            new DatasetNormalizer(null, false, false, null, new DatasetSplit.Random(10, 42));
        try (InputStream in = Files.newInputStream(jsonl);
            OutputStream t = new BufferedOutputStream(Files.newOutputStream(train), 1 << 16);
            OutputStream v = new BufferedOutputStream(Files.newOutputStream(validation), 1 << 16)) {
          same.normalize(in, t, v);
        }
        seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "the same rows as chat JSONL:    %.1f MB/s, %.0f rows/s, %.2f s%n",
            Files.size(jsonl) / 1048576.0 / seconds, rows / seconds, seconds);
      } finally {
        Files.deleteIfExists(jsonl);
      }
    } finally {
      Files.deleteIfExists(csv);
      Files.deleteIfExists(train);
      Files.deleteIfExists(validation);
    }
  }

  private static DatasetNormalizer run(Path csv, Path train, Path validation) throws IOException {
    DatasetNormalizer normalizer =
        new DatasetNormalizer(
            DatasetFormat.CSV,
            false,
            false,
            new CsvMapping("receipt_text", "expected_fields", "instruction", null),
            new DatasetSplit.Random(10, 42));
    try (InputStream in = Files.newInputStream(csv);
        OutputStream t = new BufferedOutputStream(Files.newOutputStream(train), 1 << 16);
        OutputStream v = new BufferedOutputStream(Files.newOutputStream(validation), 1 << 16)) {
      ValidationReport report = normalizer.normalize(in, t, v);
      if (!report.valid()) {
        throw new IllegalStateException(report.summary());
      }
    }
    return normalizer;
  }

  private static long generate(Path sroie, Path csv, long size) throws IOException {
    JsonMapper json = JsonMapper.builder().build();
    List<String> records =
        Files.readAllLines(sroie).stream()
            .map(
                line -> {
                  JsonNode messages = json.readTree(line).get("messages");
                  return quoted(messages.get(0).get("content").asString())
                      + ","
                      + quoted(messages.get(1).get("content").asString())
                      + ","
                      + quoted(messages.get(2).get("content").asString())
                      + "\r\n";
                })
            .toList();
    long rows = 0;
    long written = 0;
    try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write("instruction,receipt_text,expected_fields\r\n");
      while (written < size) {
        String record = records.get((int) (rows % records.size()));
        out.write(record);
        written += record.length();
        rows++;
      }
    }
    return rows;
  }

  /** The same receipts, row for row, as chat JSONL. */
  private static void generateJsonl(Path sroie, Path jsonl, long rows) throws IOException {
    List<String> lines = Files.readAllLines(sroie);
    try (Writer out = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8)) {
      for (long i = 0; i < rows; i++) {
        out.write(lines.get((int) (i % lines.size())));
        out.write('\n');
      }
    }
  }

  private static String quoted(String field) {
    return "\"" + field.replace("\"", "\"\"") + "\"";
  }
}
