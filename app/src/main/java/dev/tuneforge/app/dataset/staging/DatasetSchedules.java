package dev.tuneforge.app.dataset.staging;

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

/**
 * The dataset feature's Quartz schedule: abandoned uploads are cleaned up every 15 minutes, from a
 * minute after start-up.
 */
@Configuration
class DatasetSchedules {

  @Bean
  JobDetail stagedUploadCleanupJobDetail() {
    return JobBuilder.newJob(StagedUploadCleanupJob.class)
        .withIdentity(StagedUploadCleanupJob.NAME)
        .storeDurably()
        .build();
  }

  @Bean
  Trigger stagedUploadCleanupTrigger(JobDetail stagedUploadCleanupJobDetail, Clock clock) {
    return TriggerBuilder.newTrigger()
        .forJob(stagedUploadCleanupJobDetail)
        .withIdentity(StagedUploadCleanupJob.NAME)
        .startAt(Date.from(clock.instant().plus(Duration.ofMinutes(1))))
        .withSchedule(
            SimpleScheduleBuilder.repeatMinutelyForever(15)
                .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
  }
}
