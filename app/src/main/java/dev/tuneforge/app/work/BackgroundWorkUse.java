package dev.tuneforge.app.work;

import dev.tuneforge.app.tenancy.Quota;
import dev.tuneforge.app.tenancy.QuotaUse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A tenant's background runs at work, as a run's start is checked against its quota. */
@Configuration
class BackgroundWorkUse {

  @Bean
  QuotaUse backgroundWorkInUse(WorkExecution execution) {
    return QuotaUse.of(Quota.BACKGROUND_WORK, execution::running);
  }
}
