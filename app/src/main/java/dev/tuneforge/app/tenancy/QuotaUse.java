package dev.tuneforge.app.tenancy;

import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * How much of one quota a tenant uses now, as the feature that checks the quota counts it: a bean
 * of that feature, so the figures a page shows are the ones refusals are made on.
 */
public interface QuotaUse {
  Quota quota();

  long used(UUID tenantId);

  static QuotaUse of(Quota quota, ToLongFunction<UUID> used) {
    return new QuotaUse() {
      @Override
      public Quota quota() {
        return quota;
      }

      @Override
      public long used(UUID tenantId) {
        return used.applyAsLong(tenantId);
      }
    };
  }
}
