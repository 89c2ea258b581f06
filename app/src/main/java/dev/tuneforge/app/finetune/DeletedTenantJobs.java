package dev.tuneforge.app.finetune;

import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.tenancy.TenantDeletionScheduled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * Stops a tenant's fine-tunes once its deletion is scheduled: queued and paused jobs are cancelled
 * at once, running ones at their node's next heartbeat. Undoing the deletion does not bring them
 * back.
 */
@Component
class DeletedTenantJobs {
  private static final Logger log = LoggerFactory.getLogger(DeletedTenantJobs.class);

  private final FineTuneRepository jobs;
  private final FineTuneService service;

  DeletedTenantJobs(FineTuneRepository jobs, FineTuneService service) {
    this.jobs = jobs;
    this.service = service;
  }

  @ApplicationModuleListener(
      id = "finetune.tenant-deletion-scheduled",
      propagation = Propagation.NOT_SUPPORTED)
  void on(TenantDeletionScheduled scheduled) {
    TenantContext.runAs(
        scheduled.tenantId(),
        () -> {
          int stopped = 0;
          for (FineTuneJob job : jobs.findAllByOrderByCreatedAtDesc()) {
            if (!job.getStatus().finished()) {
              service.cancel(job.getId());
              stopped++;
            }
          }
          log.info(
              "Stopped {} unfinished jobs of tenant '{}', scheduled for deletion",
              stopped,
              scheduled.name());
        });
  }
}
