package dev.tuneforge.app.storage;

import java.time.Duration;
import java.time.Instant;

/**
 * A feature's uploads into object storage that nobody may finish (a closed tab, a lost connection,
 * a stopped app). {@link AbandonedUploadCleanupJob} asks each such feature to discard those idle
 * longer than its {@link #abandonedUploadAge}.
 */
public interface AbandonedUploads {

  /** How long an upload may stay unfinished before the clean-up discards it. */
  Duration abandonedUploadAge();

  /**
   * Discards, for every tenant (the caller runs as the system), each upload idle since before
   * {@code cutoff}: its unfinished parts, what it stored and its record. Returns how many it
   * discarded.
   *
   * @throws ObjectStorage.StorageException when storage cannot be reached; records stay then
   */
  int cleanUp(Instant cutoff);
}
