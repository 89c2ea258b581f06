package dev.tuneforge.app.teacher;

import dev.tuneforge.app.tenancy.TenantContext;
import java.util.UUID;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * Runs one teacher run in the background, as its tenant. One Quartz job per run, so a run is
 * never worked on twice at once, and recovery re-fires it on another replica if its own dies.
 */
@DisallowConcurrentExecution
class TeacherRunJob implements Job {
  static final String GROUP = "teacher-run";
  private static final String RUN_ID = "runId";
  private static final String TENANT_ID = "tenantId";

  private final TeacherPipeline pipeline;

  TeacherRunJob(TeacherPipeline pipeline) {
    this.pipeline = pipeline;
  }

  static JobDetail detail(TeacherRun run) {
    return JobBuilder.newJob(TeacherRunJob.class)
        .withIdentity(run.getId().toString(), GROUP)
        .usingJobData(RUN_ID, run.getId().toString())
        .usingJobData(TENANT_ID, run.getTenantId().toString())
        .requestRecovery(true)
        .build();
  }

  static Trigger trigger(TeacherRun run) {
    return TriggerBuilder.newTrigger().withIdentity(run.getId().toString(), GROUP).startNow().build();
  }

  @Override
  public void execute(JobExecutionContext context) {
    UUID runId = UUID.fromString(context.getMergedJobDataMap().getString(RUN_ID));
    UUID tenantId = UUID.fromString(context.getMergedJobDataMap().getString(TENANT_ID));
    TenantContext.runAs(tenantId, () -> pipeline.run(runId));
  }
}
