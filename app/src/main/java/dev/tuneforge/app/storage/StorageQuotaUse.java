package dev.tuneforge.app.storage;

import dev.tuneforge.app.tenancy.Quota;
import dev.tuneforge.app.tenancy.QuotaUse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A tenant's use of its storage quota, as uploads are checked against it. */
@Configuration
class StorageQuotaUse {

  @Bean
  QuotaUse storageInUse(StorageQuota quota) {
    return QuotaUse.of(Quota.STORAGE, quota::used);
  }
}
