package dev.tuneforge.app.usage;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * How the job feature names a job today (its own name beside the generated one), for spend by job;
 * the usage feature only meters a job's name as it was.
 */
public interface JobLabels {

  /**
   * The labels of the calling tenant's jobs among {@code jobIds}; jobs since deleted are absent.
   */
  Map<UUID, String> of(Collection<UUID> jobIds);
}
