package dev.tuneforge.app.work;

import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.stereotype.Service;

/**
 * Queues runs of the {@link TenantWork} kinds for the calling tenant and takes them out again.
 * Called inside a transaction, queueing commits or rolls back with it (Quartz shares the database),
 * so a run whose row was saved is never lost.
 */
@Service
public class WorkRunner {
  private final Scheduler scheduler;
  private final WorkExecution execution;
  private final Clock clock;

  WorkRunner(BackgroundScheduler background, WorkExecution execution, Clock clock) {
    this.scheduler = background.scheduler();
    this.execution = execution;
    this.clock = clock;
  }

  /**
   * Queues the run to start now in the background, replacing any schedule it had.
   *
   * @throws IllegalStateException when Quartz cannot store it
   */
  public void submit(WorkKind<?> kind, UUID runId) {
    submit(kind, runId, clock.instant());
  }

  private void submit(WorkKind<?> kind, UUID runId, Instant at) {
    JobKey key = WorkQuartzJob.key(execution.kind(kind.name()).kind().name(), runId);
    UUID tenant = TenantContext.requireTenant();
    try {
      if (scheduler.checkExists(key)) {
        scheduler.deleteJob(key);
      }
      scheduler.scheduleJob(WorkQuartzJob.detail(key, tenant), WorkQuartzJob.trigger(key, at));
    } catch (SchedulerException e) {
      throw new IllegalStateException(
          "Could not queue the " + kind.name() + " run: " + e.getMessage(), e);
    }
  }

  /**
   * Takes a queued run out of the schedule (a running one goes on); false if Quartz could not be
   * asked.
   */
  public boolean unschedule(WorkKind<?> kind, UUID runId) {
    try {
      scheduler.deleteJob(WorkQuartzJob.key(kind.name(), runId));
      return true;
    } catch (SchedulerException e) {
      return false;
    }
  }

  /** Whether the run is queued or running in the background; true if Quartz cannot tell. */
  public boolean isScheduled(WorkKind<?> kind, UUID runId) {
    try {
      return scheduler.checkExists(WorkQuartzJob.key(kind.name(), runId));
    } catch (SchedulerException e) {
      return true;
    }
  }

  /**
   * Runs the run on this thread, as the calling tenant and with no concurrency limit; a run that
   * asks to come back later is queued.
   */
  public void runHere(WorkKind<?> kind, UUID runId) {
    execution
        .run(execution.kind(kind.name()), runId)
        .ifPresent(after -> submit(kind, runId, clock.instant().plus(after)));
  }
}
