package dev.tuneforge.app.deletion;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removes the tenants whose grace period is over; one replica at a time. */
@DisallowConcurrentExecution
class TenantRemovalJob implements Job {
  static final String NAME = "tenant-removal";

  private static final Logger log = LoggerFactory.getLogger(TenantRemovalJob.class);

  private final TenantRemoval removal;

  TenantRemovalJob(TenantRemoval removal) {
    this.removal = removal;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      removal.removeDue();
    } catch (RuntimeException e) {
      // The tenant stays scheduled; the next run tries again.
      log.warn("Could not remove a deleted tenant: {}", e.toString());
    }
  }
}
