package dev.tuneforge.app.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Expired audit records are removed once a day, from ten minutes after start-up. */
@Configuration
@EnableConfigurationProperties(AuditRetention.Properties.class)
class AuditSchedules {
  static final String NAME = "audit-retention";
  private static final Logger log = LoggerFactory.getLogger(AuditSchedules.class);

  @Bean
  JobDetail auditRetentionJobDetail() {
    return JobBuilder.newJob(AuditRetentionJob.class).withIdentity(NAME).storeDurably().build();
  }

  @Bean
  Trigger auditRetentionTrigger(JobDetail auditRetentionJobDetail, Clock clock) {
    return TriggerBuilder.newTrigger()
        .forJob(auditRetentionJobDetail)
        .withIdentity(NAME)
        .startAt(Date.from(clock.instant().plus(Duration.ofMinutes(10))))
        .withSchedule(
            SimpleScheduleBuilder.repeatHourlyForever(24)
                .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
  }

  /** One replica at a time; a failure is tried again the next day. */
  @DisallowConcurrentExecution
  static class AuditRetentionJob implements Job {
    private final AuditRetention retention;

    AuditRetentionJob(AuditRetention retention) {
      this.retention = retention;
    }

    @Override
    public void execute(JobExecutionContext context) {
      try {
        retention.removeExpired();
      } catch (RuntimeException e) {
        log.warn("Could not remove expired audit records: {}", e.toString());
      }
    }
  }
}
