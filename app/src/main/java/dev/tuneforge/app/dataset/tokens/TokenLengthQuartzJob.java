package dev.tuneforge.app.dataset.tokens;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * Quartz's handle on one token-length count. It lives in Quartz's JDBC store, so a count asked
 * for survives a restart and, with {@code requestRecovery}, runs again if its instance died.
 */
class TokenLengthQuartzJob implements Job {
  static final String GROUP = "token-lengths";
  static final String STATS_ID = "tokenLengthStatsId";
  static final String TENANT_ID = "tenantId";

  private final TokenLengthRunner runner;

  TokenLengthQuartzJob(TokenLengthRunner runner) {
    this.runner = runner;
  }

  static JobKey key(UUID statsId) {
    return JobKey.jobKey(statsId.toString(), GROUP);
  }

  static JobDetail detail(UUID tenantId, UUID statsId) {
    return JobBuilder.newJob(TokenLengthQuartzJob.class)
        .withIdentity(key(statsId))
        .usingJobData(STATS_ID, statsId.toString())
        .usingJobData(TENANT_ID, tenantId.toString())
        .requestRecovery(true)
        .build();
  }

  static Trigger trigger(UUID statsId) {
    Instant now = Instant.now();
    return TriggerBuilder.newTrigger()
        .forJob(key(statsId))
        .withIdentity(statsId + "-" + now.toEpochMilli(), GROUP)
        .startAt(Date.from(now))
        .build();
  }

  @Override
  public void execute(JobExecutionContext context) {
    UUID statsId = UUID.fromString(context.getMergedJobDataMap().getString(STATS_ID));
    UUID tenantId = UUID.fromString(context.getMergedJobDataMap().getString(TENANT_ID));
    runner.run(tenantId, statsId);
  }
}
