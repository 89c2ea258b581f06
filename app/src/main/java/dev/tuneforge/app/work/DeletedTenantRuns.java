package dev.tuneforge.app.work;

import dev.tuneforge.app.tenancy.TenantDeleted;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When a deleted tenant's rows are removed, its runs' Quartz jobs and their triggers go too, in the
 * same transaction (Quartz shares the database), so none of them fires later for a tenant that is
 * gone. A run's job carries its tenant's id ({@link WorkQuartzJob#TENANT_ID}).
 */
@Component
class DeletedTenantRuns {
  private static final Logger log = LoggerFactory.getLogger(DeletedTenantRuns.class);

  private final Scheduler scheduler;

  DeletedTenantRuns(BackgroundScheduler background) {
    this.scheduler = background.scheduler();
  }

  /**
   * @throws IllegalStateException when Quartz cannot be asked, so that the removal rolls back and
   *     is tried again
   */
  @EventListener
  void on(TenantDeleted deleted) {
    String tenant = deleted.tenantId().toString();
    int removed = 0;
    try {
      for (JobKey key : scheduler.getJobKeys(GroupMatcher.anyJobGroup())) {
        JobDetail job = scheduler.getJobDetail(key);
        if (job != null
            && tenant.equals(job.getJobDataMap().getString(WorkQuartzJob.TENANT_ID))
            && scheduler.deleteJob(key)) {
          removed++;
        }
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException(
          "Could not remove the background runs of tenant " + tenant + ": " + e.getMessage(), e);
    }
    log.info("Removed {} scheduled background runs of deleted tenant {}", removed, tenant);
  }
}
