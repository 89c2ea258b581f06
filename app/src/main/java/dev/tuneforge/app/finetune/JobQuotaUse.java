package dev.tuneforge.app.finetune;

import dev.tuneforge.app.tenancy.Quota;
import dev.tuneforge.app.tenancy.QuotaUse;
import dev.tuneforge.app.tenancy.TenantContext;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A tenant's use of its job quotas, counted as launch (waiting jobs) and dispatch (jobs nodes hold)
 * count them.
 */
@Configuration
class JobQuotaUse {

  @Bean
  QuotaUse queuedJobsUse(FineTuneRepository jobs) {
    return QuotaUse.of(
        Quota.QUEUED_JOBS,
        tenant ->
            TenantContext.callAs(
                tenant,
                () -> jobs.countWaiting(List.of(JobStatus.VALIDATING_FILES, JobStatus.QUEUED))));
  }

  @Bean
  QuotaUse runningJobsUse(JobLeasing leasing) {
    return QuotaUse.of(
        Quota.RUNNING_JOBS, tenant -> leasing.heldByTenant().getOrDefault(tenant, 0));
  }
}
