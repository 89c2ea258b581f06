package dev.tuneforge.app.dataset;

import java.time.Instant;
import java.util.UUID;

/** A dataset with its latest version, as lists and pickers show it. */
public record DatasetSummary(
    UUID datasetId,
    String name,
    UUID versionId,
    int version,
    String fileName,
    int rows,
    long sizeBytes,
    Instant createdAt) {

  public String label() {
    return name + " (v" + version + ", " + rows + " rows)";
  }
}
