package dev.tuneforge.app;

import java.time.Duration;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;

/**
 * Hands module events whose listener failed back to that listener, every 30 s once they are 30 s
 * old, so that a reaction that met a passing fault (storage away, a lease not yet metered) happens
 * without waiting for a restart. A clustered Quartz job: one replica at a time.
 */
@DisallowConcurrentExecution
class FailedEventRetryJob implements Job {
  static final String NAME = "failed-event-retry";
  static final Duration MIN_AGE = Duration.ofSeconds(30);

  private final IncompleteEventPublications publications;

  FailedEventRetryJob(IncompleteEventPublications publications) {
    this.publications = publications;
  }

  @Override
  public void execute(JobExecutionContext context) {
    publications.resubmitIncompletePublications(ResubmissionOptions.defaults().withMinAge(MIN_AGE));
  }

  @Configuration
  static class Schedule {
    @Bean
    JobDetail failedEventRetryJobDetail() {
      return JobBuilder.newJob(FailedEventRetryJob.class).withIdentity(NAME).storeDurably().build();
    }

    @Bean
    Trigger failedEventRetryTrigger(JobDetail failedEventRetryJobDetail) {
      return TriggerBuilder.newTrigger()
          .forJob(failedEventRetryJobDetail)
          .withIdentity(NAME)
          .withSchedule(
              SimpleScheduleBuilder.repeatSecondlyForever((int) MIN_AGE.toSeconds())
                  .withMisfireHandlingInstructionNextWithRemainingCount())
          .build();
    }
  }
}
