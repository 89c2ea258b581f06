package dev.tuneforge.app.dataset;

import dev.tuneforge.app.dataset.split.DatasetSplit;
import java.time.Instant;
import java.util.UUID;

/**
 * A dataset with its latest version, as lists and pickers show it. {@code rows} counts the training
 * file's rows, {@code validationRows} the validation file's (0 when there is none); {@code split}
 * says how they were divided ({@link DatasetSplit#describe()}).
 */
public record DatasetSummary(
    UUID datasetId,
    String name,
    UUID versionId,
    int version,
    String fileName,
    int rows,
    long sizeBytes,
    Instant createdAt,
    int validationRows,
    String split,
    String kind) {

  public DatasetSummary(
      UUID datasetId,
      String name,
      UUID versionId,
      int version,
      String fileName,
      int rows,
      long sizeBytes,
      Instant createdAt,
      int validationRows,
      String split) {
    this(
        datasetId,
        name,
        versionId,
        version,
        fileName,
        rows,
        sizeBytes,
        createdAt,
        validationRows,
        split,
        "sft");
  }

  /** Whether the rows are preference pairs (for DPO) rather than chat rows. */
  public boolean preferencePairs() {
    return "preference".equals(kind);
  }

  public DatasetSummary(
      UUID datasetId,
      String name,
      UUID versionId,
      int version,
      String fileName,
      int rows,
      long sizeBytes,
      Instant createdAt) {
    this(datasetId, name, versionId, version, fileName, rows, sizeBytes, createdAt, 0, "none");
  }

  public boolean hasValidation() {
    return validationRows > 0;
  }

  public String label() {
    return name
        + " (v"
        + version
        + ", "
        + rows
        + (preferencePairs() ? " pairs" : " rows")
        + (hasValidation() ? " + " + validationRows + " validation" : "")
        + ")";
  }
}
