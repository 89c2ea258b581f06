package dev.tuneforge.app.synthetic;

import java.time.Instant;
import java.util.UUID;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * Quartz's handle on one generation job. It lives in Quartz's JDBC store, so a job survives a
 * restart and, with {@code requestRecovery}, is run again if its app instance died mid-run
 * (generation is deterministic, so the rerun writes the same rows). When this instance already
 * runs as many generations as allowed, it comes back a few seconds later instead of waiting.
 */
class GenerationQuartzJob implements Job {
  static final String GROUP = "synthetic";
  static final String JOB_ID = "generationJobId";
  static final String TENANT_ID = "tenantId";
  static final int RETRY_SECONDS = 5;

  private final GenerationRunner runner;

  GenerationQuartzJob(GenerationRunner runner) {
    this.runner = runner;
  }

  static JobKey key(UUID jobId) {
    return JobKey.jobKey(jobId.toString(), GROUP);
  }

  static JobDetail detail(UUID tenantId, UUID jobId) {
    return JobBuilder.newJob(GenerationQuartzJob.class)
        .withIdentity(key(jobId))
        .usingJobData(JOB_ID, jobId.toString())
        .usingJobData(TENANT_ID, tenantId.toString())
        .requestRecovery(true)
        .build();
  }

  static Trigger trigger(UUID jobId, Instant at) {
    return TriggerBuilder.newTrigger()
        .forJob(key(jobId))
        .withIdentity(jobId + "-" + at.toEpochMilli(), GROUP)
        .startAt(java.util.Date.from(at))
        .build();
  }

  @Override
  public void execute(JobExecutionContext context) {
    UUID jobId = UUID.fromString(context.getMergedJobDataMap().getString(JOB_ID));
    UUID tenantId = UUID.fromString(context.getMergedJobDataMap().getString(TENANT_ID));
    if (!runner.runIfFree(tenantId, jobId)) {
      try {
        context.getScheduler().scheduleJob(trigger(jobId, Instant.now().plusSeconds(RETRY_SECONDS)));
      } catch (SchedulerException e) {
        runner.fail(tenantId, jobId, "Could not be scheduled: " + e.getMessage());
      }
    }
  }
}
