package dev.tuneforge.app.dataset;

import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
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

  StagedUploadCleanupJob(StagedUploads uploads) {
    this.uploads = uploads;
  }

  @Override
  public void execute(JobExecutionContext context) {
    Instant cutoff = Instant.now().minus(uploads.abandonedUploadAge());
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
