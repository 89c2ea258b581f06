package dev.tuneforge.app.storage;

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
 * Object storage's Quartz schedule: abandoned uploads of every feature are cleaned up every 15
 * minutes, from a minute after start-up.
 */
@Configuration
class StorageSchedules {

  @Bean
  JobDetail stagedUploadCleanupJobDetail() {
    return JobBuilder.newJob(AbandonedUploadCleanupJob.class)
        .withIdentity(AbandonedUploadCleanupJob.NAME)
        .storeDurably()
        .build();
  }

  @Bean
  Trigger stagedUploadCleanupTrigger(JobDetail stagedUploadCleanupJobDetail, Clock clock) {
    return TriggerBuilder.newTrigger()
        .forJob(stagedUploadCleanupJobDetail)
        .withIdentity(AbandonedUploadCleanupJob.NAME)
        .startAt(Date.from(clock.instant().plus(Duration.ofMinutes(1))))
        .withSchedule(
            SimpleScheduleBuilder.repeatMinutelyForever(15)
                .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
  }
}
