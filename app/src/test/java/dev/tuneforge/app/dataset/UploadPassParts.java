package dev.tuneforge.app.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The upload pass taken apart for {@code DatasetValidationBenchmark}: each method reads a chat JSONL
 * file with one more stage of {@link NormalizedUpload#read} than the one before and returns the rows
 * it saw, so that the benchmark can time what each stage adds. Not a test.
 */
public final class UploadPassParts {
  private UploadPassParts() {}

  /** Lines found and checked as UTF-8. */
  public static long lines(Path file) throws IOException {
    long rows = 0;
    try (Utf8Lines lines = new Utf8Lines(Files.newInputStream(file), DatasetNormalizer.MAX_LINE_BYTES)) {
      while (lines.next()) {
        rows += lines.isBlank() ? 0 : 1;
      }
    }
    return rows;
  }

  /** Lines parsed into conversations and checked, as validation does without the quality report. */
  public static long parse(Path file) throws IOException {
    return read(file, null);
  }

  /** Conversations parsed and counted into a quality report. */
  public static long quality(Path file) throws IOException {
    return read(file, new QualityAnalyzer(false, QualityReport.DEFAULT_MAX_TOKENS));
  }

  /** The whole upload pass: validation, quality report and the canonical file with its SHA-256. */
  public static long upload(Path file) throws IOException {
    try (NormalizedUpload upload = NormalizedUpload.read(file.getFileName().toString(), file,
        DatasetUploadOptions.defaults())) {
      if (!upload.report.valid()) {
        throw new IllegalStateException(upload.report.summary());
      }
      return upload.trainRows;
    }
  }

  private static long read(Path file, @Nullable QualityAnalyzer quality) throws IOException {
    long rows = 0;
    RowReader reader = RowReader.of(DatasetFormat.CHAT);
    Conversation row = new Conversation();
    try (InputStream in = Files.newInputStream(file); Utf8Lines lines = new Utf8Lines(in, DatasetNormalizer.MAX_LINE_BYTES)) {
      while (lines.next()) {
        if (lines.isBlank()) {
          continue;
        }
        String problem = DatasetNormalizer.readRow(reader, lines.bytes(), lines.start(), lines.length(), row);
        if (problem != null) {
          throw new IllegalStateException(problem);
        }
        rows++;
        if (quality != null) {
          quality.accept(row, (int) rows);
        }
      }
    }
    return rows;
  }
}
