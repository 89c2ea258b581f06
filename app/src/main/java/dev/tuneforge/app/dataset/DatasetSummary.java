package dev.tuneforge.app.dataset;

import dev.tuneforge.app.dataset.split.DatasetSplit;
import java.time.Instant;
import java.util.UUID;

/**
 * A dataset with its latest version, as lists and pickers show it. {@code rows} counts the training
 * file's rows, {@code validationRows} the validation file's (0 when there is none); {@code split}
 * says how they were divided ({@link DatasetSplit#describe()}); {@code kind} is {@code sft} (chat
 * rows) or {@code preference} (pairs for DPO).
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

  /** Whether the rows are preference pairs (for DPO) rather than chat rows. */
  public boolean preferencePairs() {
    return "preference".equals(kind);
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
