package dev.tuneforge.app.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tuneforge.app.dataset.DatasetSummary;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's file object for a dataset version: a file is stored only once it validated, so its
 * status is always {@code processed}. {@code bytes} is the size of the stored training file.
 */
record FileObject(
    String id,
    String object,
    long bytes,
    @JsonProperty("created_at") long createdAt,
    String filename,
    String purpose,
    String status,
    @JsonProperty("status_details") @Nullable String statusDetails,
    @JsonProperty("expires_at") @Nullable Long expiresAt) {

  static final String PURPOSE = "fine-tune";

  static FileObject of(DatasetSummary version) {
    return new FileObject(
        OpenAiIds.file(version.versionId()),
        "file",
        version.sizeBytes(),
        version.createdAt().getEpochSecond(),
        version.fileName(),
        PURPOSE,
        "processed",
        null,
        null);
  }

  /** OpenAI's answer to a delete. */
  record Deleted(String id, String object, boolean deleted) {}
}
