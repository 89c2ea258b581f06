package dev.tuneforge.app.storage;

import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discards the uploads nobody finished, for every feature that stages uploads ({@link
 * AbandonedUploads}: dataset files, model folders), each after its own age. One feature's storage
 * failure does not keep the others from being cleaned.
 */
@DisallowConcurrentExecution
class AbandonedUploadCleanupJob implements Job {
  /** The name dataset uploads' clean-up was scheduled under, kept so upgrades replace that job. */
  static final String NAME = "staged-upload-cleanup";

  private static final Logger log = LoggerFactory.getLogger(AbandonedUploadCleanupJob.class);

  private final List<AbandonedUploads> features;
  private final Clock clock;

  AbandonedUploadCleanupJob(List<AbandonedUploads> features, Clock clock) {
    this.features = features;
    this.clock = clock;
  }

  @Override
  public void execute(JobExecutionContext context) {
    for (AbandonedUploads uploads : features) {
      Instant cutoff = clock.instant().minus(uploads.abandonedUploadAge());
      try {
        int abandoned = TenantContext.callAsSystem(() -> uploads.cleanUp(cutoff));
        if (abandoned > 0) {
          log.info("Aborted {} abandoned uploads idle since before {}", abandoned, cutoff);
        }
      } catch (ObjectStorage.StorageException e) {
        // The records stay; the next run tries again.
        log.warn("Could not clean up abandoned uploads: {}", e.getMessage());
      }
    }
  }
}
