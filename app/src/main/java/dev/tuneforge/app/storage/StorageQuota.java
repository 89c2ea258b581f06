package dev.tuneforge.app.storage;

import dev.tuneforge.app.tenancy.Quota;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.tenancy.TenantQuotas;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * A tenant's storage quota against what it holds: every object under its prefix (datasets with
 * their originals, checkpoints, adapters, tuned and merged models, evaluations), as the object
 * store lists them.
 */
@Service
public class StorageQuota {
  static final String ADVICE =
      "delete dataset versions or jobs you no longer need, or ask a platform admin for more";

  private final ObjectStorage storage;
  private final TenantQuotas quotas;

  StorageQuota(ObjectStorage storage, TenantQuotas quotas) {
    this.storage = storage;
    this.quotas = quotas;
  }

  /** Bytes the tenant holds in storage now. */
  public long used(UUID tenantId) {
    return storage.sizes(ObjectKeys.tenantPrefix(tenantId)).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /**
   * Refuses to store {@code adding} bytes more for the calling tenant when they, what it holds and
   * {@code pending} bytes of uploads it has announced would go over its storage quota.
   *
   * @throws dev.tuneforge.app.tenancy.QuotaExceeded naming the quota and the use
   */
  public void check(long pending, long adding) {
    check(TenantContext.requireTenant(), pending, adding);
  }

  /**
   * Refuses new work that will store files (a fine-tune's checkpoints and adapter, a node's upload)
   * once the tenant holds its whole storage quota.
   *
   * @throws dev.tuneforge.app.tenancy.QuotaExceeded naming the quota and the use
   */
  public void checkRoomLeft(UUID tenantId) {
    check(tenantId, 0, 1);
  }

  private void check(UUID tenant, long pending, long adding) {
    quotas.of(tenant).check(Quota.STORAGE, used(tenant) + pending, adding, ADVICE);
  }
}
