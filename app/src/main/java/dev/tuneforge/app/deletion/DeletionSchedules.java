package dev.tuneforge.app.deletion;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Deleted tenants whose grace period is over are looked for every 10 minutes. */
@Configuration
class DeletionSchedules {

  @Bean
  JobDetail tenantRemovalJobDetail() {
    return JobBuilder.newJob(TenantRemovalJob.class)
        .withIdentity(TenantRemovalJob.NAME)
        .storeDurably()
        .build();
  }

  @Bean
  Trigger tenantRemovalTrigger(JobDetail tenantRemovalJobDetail, Clock clock) {
    return TriggerBuilder.newTrigger()
        .forJob(tenantRemovalJobDetail)
        .withIdentity(TenantRemovalJob.NAME)
        .startAt(Date.from(clock.instant().plus(Duration.ofMinutes(2))))
        .withSchedule(
            SimpleScheduleBuilder.repeatMinutelyForever(10)
                .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
  }
}
