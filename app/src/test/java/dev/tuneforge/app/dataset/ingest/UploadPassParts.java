package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.DatasetUploadOptions;
import dev.tuneforge.app.dataset.QualityReport;
import dev.tuneforge.app.dataset.quality.QualityAnalyzer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * The upload pass taken apart for {@code DatasetValidationBenchmark}: each method reads a chat
 * JSONL file with one more stage of {@link NormalizedUpload#read} than the one before and returns
 * the rows it saw, so that the benchmark can time what each stage adds. Not a test.
 */
public final class UploadPassParts {
  private UploadPassParts() {}

  /** Lines found and checked as UTF-8. */
  public static long lines(Path file) throws IOException {
    long rows = 0;
    try (Utf8Lines lines =
        new Utf8Lines(Files.newInputStream(file), DatasetNormalizer.MAX_LINE_BYTES)) {
      while (lines.next()) {
        rows += lines.isBlank() ? 0 : 1;
      }
    }
    return rows;
  }

  /** Lines parsed into conversations and checked, as validation does without the quality report. */
  public static long parse(Path file) throws IOException {
    return read(file, null, null);
  }

  /**
   * Validation and normalisation without the quality report: rows parsed and checked, and written
   * as canonical chat JSONL to a temporary file with its SHA-256, as the upload pass writes them.
   */
  public static long normalise(Path file) throws IOException {
    Path canonical = Files.createTempFile("tuneforge-bench-canonical-", ".jsonl");
    try (OutputStream out =
        new DigestOutputStream(
            new BufferedOutputStream(Files.newOutputStream(canonical), 1 << 16),
            MessageDigest.getInstance("SHA-256"))) {
      CanonicalWriter writer = new CanonicalWriter(out);
      long rows = read(file, null, writer);
      writer.flush();
      return rows;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      Files.delete(canonical);
    }
  }

  /** Conversations parsed and counted into a quality report. */
  public static long quality(Path file) throws IOException {
    return read(file, new QualityAnalyzer(false, QualityReport.DEFAULT_MAX_TOKENS), null);
  }

  /** The whole upload pass: validation, quality report and the canonical file with its SHA-256. */
  public static long upload(Path file) throws IOException {
    try (NormalizedUpload upload =
        NormalizedUpload.read(
            file.getFileName().toString(), file, DatasetUploadOptions.defaults())) {
      if (!upload.report().valid()) {
        throw new IllegalStateException(upload.report().summary());
      }
      return upload.trainRows();
    }
  }

  private static long read(
      Path file, @Nullable QualityAnalyzer quality, @Nullable CanonicalWriter canonical)
      throws IOException {
    long rows = 0;
    RowReader reader = RowReader.of(DatasetFormat.CHAT);
    ChatRowBuffer row = new ChatRowBuffer();
    try (InputStream in = Files.newInputStream(file);
        Utf8Lines lines = new Utf8Lines(in, DatasetNormalizer.MAX_LINE_BYTES)) {
      while (lines.next()) {
        if (lines.isBlank()) {
          continue;
        }
        String problem =
            DatasetNormalizer.readRow(reader, lines.bytes(), lines.start(), lines.length(), row);
        if (problem != null) {
          throw new IllegalStateException(problem);
        }
        rows++;
        if (quality != null) {
          quality.accept(row, (int) rows);
        }
        if (canonical != null) {
          canonical.write(row);
        }
      }
    }
    return rows;
  }
}
