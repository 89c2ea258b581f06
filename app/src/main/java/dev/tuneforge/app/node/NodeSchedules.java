package dev.tuneforge.app.node;

import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The node feature's Quartz schedule: dispatch every 5 s, liveness every 10 s. */
@Configuration
class NodeSchedules {

  @Bean
  JobDetail dispatchJobDetail() {
    return JobBuilder.newJob(DispatchJob.class)
        .withIdentity(DispatchJob.NAME)
        .storeDurably()
        .build();
  }

  @Bean
  Trigger dispatchTrigger(JobDetail dispatchJobDetail) {
    return TriggerBuilder.newTrigger()
        .forJob(dispatchJobDetail)
        .withIdentity(DispatchJob.NAME)
        .withSchedule(
            SimpleScheduleBuilder.repeatSecondlyForever(5)
                .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
  }

  @Bean
  JobDetail livenessJobDetail() {
    return JobBuilder.newJob(NodeLivenessJob.class)
        .withIdentity(NodeLivenessJob.NAME)
        .storeDurably()
        .build();
  }

  @Bean
  Trigger livenessTrigger(JobDetail livenessJobDetail) {
    return TriggerBuilder.newTrigger()
        .forJob(livenessJobDetail)
        .withIdentity(NodeLivenessJob.NAME)
        .withSchedule(
            SimpleScheduleBuilder.repeatSecondlyForever(10)
                .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
  }
}
