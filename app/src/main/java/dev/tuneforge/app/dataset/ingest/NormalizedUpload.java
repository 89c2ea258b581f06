package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetUploadOptions;
import dev.tuneforge.app.dataset.PreferenceReport;
import dev.tuneforge.app.dataset.QualityReport;
import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * An upload read once into canonical temporary files: the training rows and, when the split gives
 * any, the validation rows (from the same file or from a separate one). Closing deletes the files.
 */
public final class NormalizedUpload implements AutoCloseable {
  private final Path train;
  private final Path validation;
  private final ValidationReport report;
  private final QualityReport quality;
  private final int trainRows;
  private final int validationRows;
  private final String sha256;
  private int duplicatesRemoved;
  private @Nullable PreferenceReport preference;

  private NormalizedUpload(
      Path train,
      Path validation,
      ValidationReport report,
      QualityReport quality,
      int trainRows,
      int validationRows,
      String sha256) {
    this.train = train;
    this.validation = validation;
    this.report = report;
    this.quality = quality;
    this.trainRows = trainRows;
    this.validationRows = validationRows;
    this.sha256 = sha256;
  }

  public static NormalizedUpload read(String fileName, Path file, DatasetUploadOptions options)
      throws IOException {
    Path train = Files.createTempFile("tuneforge-train-", ".jsonl");
    Path validation = Files.createTempFile("tuneforge-validation-", ".jsonl");
    try {
      DatasetFormat format = formatOf(fileName, options.format(), false);
      if (preferencePairs(file, format)) {
        return readPairs(file, options, train, validation);
      }
      DatasetNormalizer normalizer =
          new DatasetNormalizer(
                  format,
                  options.dropInvalid(),
                  options.redactPersonalData(),
                  options.csv(),
                  options.split())
              .mappedBy(options.datasetInfo());
      ValidationReport report;
      String sha256;
      try (DigestOutputStream trainOut = new DigestOutputStream(buffered(train), sha256Digest());
          OutputStream validationOut = buffered(validation)) {
        report = normalizer.normalize(file, trainOut, validationOut);
        trainOut.flush();
        sha256 = HexFormat.of().formatHex(trainOut.getMessageDigest().digest());
      }
      int validationRows = normalizer.validationRows();
      if (options.split() instanceof DatasetSplit.SeparateFile separate) {
        ValidationReport own = readSeparate(separate, format, options, validation);
        validationRows = own.rows();
        report = combined(report, own, separate.fileName());
      }
      return new NormalizedUpload(
          train,
          validation,
          report,
          normalizer.quality(),
          report.rows() - validationRows,
          validationRows,
          sha256);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(train);
      Files.deleteIfExists(validation);
      throw e;
    }
  }

  /**
   * A version's canonical files read again into new ones: redacted and/or without duplicate rows (a
   * validation row that repeats a training row counts as one). Each side keeps its rows' side.
   */
  public static NormalizedUpload derive(
      Path sourceTrain, @Nullable Path sourceValidation, boolean redact, boolean dedupe)
      throws IOException {
    Path train = Files.createTempFile("tuneforge-train-", ".jsonl");
    Path validation = Files.createTempFile("tuneforge-validation-", ".jsonl");
    try {
      java.util.Set<Long> seen = new java.util.HashSet<>();
      DatasetNormalizer trainRows = new DatasetNormalizer(DatasetFormat.CHAT, false, redact);
      DatasetNormalizer validationRows = new DatasetNormalizer(DatasetFormat.CHAT, false, redact);
      if (dedupe) {
        trainRows.removeDuplicates(seen);
        validationRows.removeDuplicates(seen);
      }
      ValidationReport report;
      String sha256;
      try (InputStream in = Files.newInputStream(sourceTrain);
          DigestOutputStream out = new DigestOutputStream(buffered(train), sha256Digest())) {
        report = trainRows.normalize(in, out);
        out.flush();
        sha256 = HexFormat.of().formatHex(out.getMessageDigest().digest());
      }
      int removed = trainRows.duplicatesRemoved();
      int validated = 0;
      if (sourceValidation != null) {
        try (InputStream in = Files.newInputStream(sourceValidation);
            OutputStream out = buffered(validation)) {
          ValidationReport own = validationRows.normalize(in, out);
          validated = own.rows();
          removed += validationRows.duplicatesRemoved();
          report = combined(report, own, DatasetService.VALIDATION_FILE);
        }
      }
      NormalizedUpload derived =
          new NormalizedUpload(
              train,
              validation,
              report,
              trainRows.quality(),
              report.rows() - validated,
              validated,
              sha256);
      derived.duplicatesRemoved = removed;
      return derived;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(train);
      Files.deleteIfExists(validation);
      throw e;
    }
  }

  /**
   * Whether the upload is read as preference pairs: chosen so, or detected from its first row. A
   * file whose first row is a pair is never read as another JSON layout, which would drop its
   * answers.
   */
  private static boolean preferencePairs(Path file, @Nullable DatasetFormat format)
      throws IOException {
    if (format == DatasetFormat.PREFERENCE) {
      return true;
    }
    if (format == DatasetFormat.CSV || format == DatasetFormat.PARQUET) {
      return false;
    }
    boolean pairs = PreferenceNormalizer.isPreferenceFile(file);
    if (pairs && format != null) {
      throw DatasetRejected.because(
          "The first row is a preference pair (chosen and rejected answers), not "
              + format.label()
              + ": upload it as "
              + DatasetFormat.PREFERENCE.label()
              + ", or let the format be detected");
    }
    return pairs;
  }

  private static NormalizedUpload readPairs(
      Path file, DatasetUploadOptions options, Path train, Path validation) throws IOException {
    if (options.split() instanceof DatasetSplit.SeparateFile) {
      throw DatasetRejected.because(
          "Preference pairs take their validation pairs from the same file (a random split or a"
              + " split field), not from a separate file");
    }
    PreferenceNormalizer pairs =
        new PreferenceNormalizer(
            options.dropInvalid(), options.redactPersonalData(), options.split());
    ValidationReport report;
    String sha256;
    try (DigestOutputStream trainOut = new DigestOutputStream(buffered(train), sha256Digest());
        OutputStream validationOut = buffered(validation)) {
      report = pairs.normalize(file, trainOut, validationOut);
      trainOut.flush();
      sha256 = HexFormat.of().formatHex(trainOut.getMessageDigest().digest());
    }
    NormalizedUpload read =
        new NormalizedUpload(
            train,
            validation,
            report,
            pairs.quality(),
            report.rows() - pairs.validationRows(),
            pairs.validationRows(),
            sha256);
    read.preference = pairs.preference();
    return read;
  }

  /** For preference pairs, how their answers compare; null for chat rows. */
  public @Nullable PreferenceReport preference() {
    return preference;
  }

  /** The canonical training rows. */
  public Path train() {
    return train;
  }

  /** The canonical validation rows; an empty file when there are none. */
  public Path validation() {
    return validation;
  }

  public ValidationReport report() {
    return report;
  }

  /** The quality of the kept rows of the main file (a separate validation file is not in it). */
  public QualityReport quality() {
    return quality;
  }

  public int trainRows() {
    return trainRows;
  }

  public int validationRows() {
    return validationRows;
  }

  /** The SHA-256 of the training file, in hex. */
  public String sha256() {
    return sha256;
  }

  /** Rows left out as duplicates when deriving a version. */
  public int duplicatesRemoved() {
    return duplicatesRemoved;
  }

  private static ValidationReport readSeparate(
      DatasetSplit.SeparateFile separate,
      @Nullable DatasetFormat trainFormat,
      DatasetUploadOptions options,
      Path validation)
      throws IOException {
    DatasetFormat format =
        formatOf(
            separate.fileName(),
            trainFormat == DatasetFormat.CSV || trainFormat == DatasetFormat.PARQUET
                ? trainFormat
                : null,
            true);
    DatasetNormalizer normalizer =
        new DatasetNormalizer(
                format,
                options.dropInvalid(),
                options.redactPersonalData(),
                options.csv(),
                DatasetSplit.none())
            .mappedBy(options.datasetInfo());
    try (OutputStream out = buffered(validation)) {
      return normalizer.normalize(separate.file(), out, null);
    }
  }

  /**
   * The chosen format; for none, CSV when the name ends in {@code .csv}, Parquet for {@code
   * .parquet}, else detected from the rows. A separate validation file named {@code .jsonl} or
   * {@code .json} is read as JSON even beside a CSV or Parquet file, and one named {@code .parquet}
   * as Parquet.
   */
  public static @Nullable DatasetFormat formatOf(
      String fileName, @Nullable DatasetFormat chosen, boolean separate) {
    String name = fileName.toLowerCase(Locale.ROOT);
    boolean json = name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json");
    if (separate && json) {
      return null;
    }
    if (chosen == null || separate) {
      if (name.endsWith(".csv")) {
        return DatasetFormat.CSV;
      }
      if (name.endsWith(".parquet")) {
        return DatasetFormat.PARQUET;
      }
    }
    return chosen;
  }

  /** Both files' problems, the validation file's named by its file name. */
  private static ValidationReport combined(
      ValidationReport train, ValidationReport validation, String fileName) {
    List<String> problems = new ArrayList<>(train.problems());
    for (String problem : validation.problems()) {
      problems.add(fileName + ", " + problem);
    }
    return new ValidationReport(
        train.format(),
        train.rows() + validation.rows(),
        List.copyOf(problems),
        train.problemCount() + validation.problemCount(),
        train.droppedRows() + validation.droppedRows());
  }

  private static OutputStream buffered(Path file) throws IOException {
    return new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(train);
    Files.deleteIfExists(validation);
  }
}
