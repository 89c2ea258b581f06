package dev.tuneforge.app.tenancy;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each tenant's quotas in effect: its own where a platform admin set them, else the platform's
 * defaults ({@code tuneforge.quotas.*}). The features that own the counted things check them: jobs
 * at launch and dispatch, storage at upload, background work when a run starts.
 */
@Service
@EnableConfigurationProperties(QuotaProperties.class)
public class TenantQuotas {
  private final TenantRepository tenants;
  private final QuotaProperties defaults;
  private final ObjectProvider<QuotaUse> uses;

  TenantQuotas(TenantRepository tenants, QuotaProperties defaults, ObjectProvider<QuotaUse> uses) {
    this.tenants = tenants;
    this.defaults = defaults;
    this.uses = uses;
  }

  /** The tenant's limits; the defaults for a tenant that is not there. */
  public QuotaLimits of(UUID tenantId) {
    QuotaOverrides own =
        tenants.findById(tenantId).map(Tenant::getQuotaOverrides).orElse(QuotaOverrides.NONE);
    return new QuotaLimits(
        own.runningJobs() != null ? own.runningJobs() : defaults.runningJobs(),
        own.queuedJobs() != null ? own.queuedJobs() : defaults.queuedJobs(),
        own.storageBytes() != null ? own.storageBytes() : defaults.storage().toBytes(),
        own.backgroundWork() != null ? own.backgroundWork() : defaults.backgroundWork(),
        own.dispatchWeight());
  }

  /** The calling tenant's limits. */
  public QuotaLimits current() {
    return of(TenantContext.requireTenant());
  }

  /**
   * The calling tenant's quotas with its use of each, in the order of {@link Quota}: only ever the
   * caller's own tenant, whose id comes from the request, never from the caller.
   */
  public List<QuotaUsage> usage() {
    UUID tenant = TenantContext.requireTenant();
    QuotaLimits limits = of(tenant);
    Map<Quota, Long> used = new EnumMap<>(Quota.class);
    uses.orderedStream().forEach(use -> used.put(use.quota(), use.used(tenant)));
    return Arrays.stream(Quota.values())
        .map(quota -> new QuotaUsage(quota, limits.limit(quota), used.get(quota)))
        .toList();
  }

  public QuotaProperties defaults() {
    return defaults;
  }

  /**
   * Sets a tenant's own quotas and dispatch weight.
   *
   * @throws IllegalArgumentException for a negative quota, a weight outside 1 to 100 or an unknown
   *     tenant
   */
  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public Tenant set(UUID tenantId, QuotaOverrides overrides) {
    String problem = overrides.problem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    Tenant tenant =
        tenants
            .findById(tenantId)
            .orElseThrow(() -> new IllegalArgumentException("No such tenant"));
    tenant.setQuotaOverrides(overrides);
    return tenants.save(tenant);
  }
}
