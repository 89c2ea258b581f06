package dev.tuneforge.app.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * Quartz's handle on one run: named by the run's id in its kind's group, so a run is never worked
 * on twice at once. It lives in Quartz's clustered JDBC store, so a run survives a restart and,
 * with {@code requestRecovery}, is fired again on another instance if its own died.
 */
@DisallowConcurrentExecution
class WorkQuartzJob implements Job {
  static final String TENANT_ID = "tenantId";

  private final WorkExecution execution;
  private final Clock clock;

  WorkQuartzJob(WorkExecution execution, Clock clock) {
    this.execution = execution;
    this.clock = clock;
  }

  static JobKey key(String kind, UUID runId) {
    return JobKey.jobKey(runId.toString(), kind);
  }

  static JobDetail detail(JobKey key, UUID tenantId) {
    return JobBuilder.newJob(WorkQuartzJob.class)
        .withIdentity(key)
        .usingJobData(TENANT_ID, tenantId.toString())
        .requestRecovery(true)
        .build();
  }

  static Trigger trigger(JobKey key, Instant at) {
    return TriggerBuilder.newTrigger()
        .forJob(key)
        .withIdentity(key.getName() + "-" + UUID.randomUUID(), key.getGroup())
        .startAt(Date.from(at))
        .build();
  }

  @Override
  public void execute(JobExecutionContext context) {
    JobKey key = context.getJobDetail().getKey();
    UUID runId = UUID.fromString(key.getName());
    UUID tenantId = UUID.fromString(context.getMergedJobDataMap().getString(TENANT_ID));
    Optional<Duration> later = execution.runIfFree(key.getGroup(), tenantId, runId);
    if (later.isPresent()) {
      try {
        context.getScheduler().scheduleJob(trigger(key, clock.instant().plus(later.get())));
      } catch (SchedulerException e) {
        execution.fail(
            key.getGroup(), tenantId, runId, "Could not be scheduled again: " + e.getMessage());
      }
    }
  }
}
