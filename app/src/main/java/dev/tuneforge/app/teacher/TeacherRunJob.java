package dev.tuneforge.app.teacher;

import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * Runs one teacher run in the background, as its tenant. One Quartz job per run, so a run is
 * never worked on twice at once, and recovery re-fires it on another replica if its own dies.
 * Beyond {@code tuneforge.teacher.max-concurrent-runs} on this instance a run waits its turn.
 */
@DisallowConcurrentExecution
class TeacherRunJob implements Job {
  static final String GROUP = "teacher-run";
  private static final String RUN_ID = "runId";
  private static final String TENANT_ID = "tenantId";

  /** How long a run waits when this instance already works on as many runs as it may. */
  private static final int WAIT_SECONDS = 10;

  private final TeacherPipeline pipeline;
  private final TeacherProperties properties;

  TeacherRunJob(TeacherPipeline pipeline, TeacherProperties properties) {
    this.pipeline = pipeline;
    this.properties = properties;
  }

  static JobKey key(UUID runId) {
    return JobKey.jobKey(runId.toString(), GROUP);
  }

  static JobDetail detail(TeacherRun run) {
    return JobBuilder.newJob(TeacherRunJob.class)
        .withIdentity(key(run.getId()))
        .usingJobData(RUN_ID, run.getId().toString())
        .usingJobData(TENANT_ID, run.getTenantId().toString())
        .requestRecovery(true)
        .build();
  }

  static Trigger trigger(TeacherRun run) {
    return TriggerBuilder.newTrigger().withIdentity(run.getId().toString(), GROUP).startNow().build();
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      long working = context.getScheduler().getCurrentlyExecutingJobs().stream()
          .filter(job -> GROUP.equals(job.getJobDetail().getKey().getGroup()))
          .count();
      if (working > Math.max(1, properties.maxConcurrentRuns())) {
        context.getScheduler().scheduleJob(TriggerBuilder.newTrigger()
            .forJob(context.getJobDetail())
            .withIdentity(context.getJobDetail().getKey().getName() + "-" + UUID.randomUUID(), GROUP)
            .startAt(Date.from(Instant.now().plusSeconds(WAIT_SECONDS)))
            .build());
        return;
      }
    } catch (SchedulerException e) {
      throw new JobExecutionException(e);
    }
    UUID runId = UUID.fromString(context.getMergedJobDataMap().getString(RUN_ID));
    UUID tenantId = UUID.fromString(context.getMergedJobDataMap().getString(TENANT_ID));
    TenantContext.runAs(tenantId, () -> pipeline.run(runId));
  }
}
