package dev.tuneforge.app.dataset.staging;

import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Clock;
import java.time.Instant;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts browser uploads nobody finished (a closed tab, a lost connection, a stopped app) once they
 * are older than {@code tuneforge.datasets.abandoned-upload-age}, and deletes what they staged.
 */
@DisallowConcurrentExecution
class StagedUploadCleanupJob implements Job {
  static final String NAME = "staged-upload-cleanup";
  private static final Logger log = LoggerFactory.getLogger(StagedUploadCleanupJob.class);

  private final StagedUploads uploads;
  private final Clock clock;

  StagedUploadCleanupJob(StagedUploads uploads, Clock clock) {
    this.uploads = uploads;
    this.clock = clock;
  }

  @Override
  public void execute(JobExecutionContext context) {
    Instant cutoff = clock.instant().minus(uploads.abandonedUploadAge());
    try {
      int abandoned = TenantContext.callAsSystem(() -> uploads.cleanUp(cutoff));
      if (abandoned > 0) {
        log.info("Aborted {} abandoned uploads started before {}", abandoned, cutoff);
      }
    } catch (ObjectStorage.StorageException e) {
      // The records stay; the next run tries again.
      log.warn("Could not clean up abandoned uploads: {}", e.getMessage());
    }
  }
}
