package dev.tuneforge.app.webhook;

import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Webhooks' Quartz schedule: due deliveries are sent every 10 seconds, and when queued. */
@Configuration
class WebhookSchedules {

  @Bean
  JobDetail webhookDeliveryJobDetail() {
    return JobBuilder.newJob(WebhookDeliveryJob.class)
        .withIdentity(WebhookDeliveryJob.NAME)
        .storeDurably()
        .build();
  }

  @Bean
  Trigger webhookDeliveryTrigger(JobDetail webhookDeliveryJobDetail) {
    return TriggerBuilder.newTrigger()
        .forJob(webhookDeliveryJobDetail)
        .withIdentity(WebhookDeliveryJob.NAME)
        .withSchedule(
            SimpleScheduleBuilder.repeatSecondlyForever(10)
                .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
  }
}
