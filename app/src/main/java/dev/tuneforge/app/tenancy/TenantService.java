package dev.tuneforge.app.tenancy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates and lists tenants; platform admins only. */
@Service
public class TenantService {
  private final TenantRepository tenants;

  TenantService(TenantRepository tenants) {
    this.tenants = tenants;
  }

  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public Tenant create(String name) {
    String trimmed = name.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("A tenant needs a name");
    }
    if (tenants.existsByNameIgnoreCase(trimmed)) {
      throw new IllegalArgumentException("A tenant named '" + trimmed + "' already exists");
    }
    return tenants.save(new Tenant(trimmed));
  }

  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  public List<Tenant> list() {
    return tenants.findAllByOrderByName();
  }

  /**
   * Sets a tenant's monthly budget; null removes the limit.
   *
   * @throws IllegalArgumentException for a negative budget or an unknown tenant
   */
  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public Tenant setMonthlyBudget(UUID id, @Nullable BigDecimal budget) {
    if (budget != null && budget.signum() < 0) {
      throw new IllegalArgumentException(
          "A monthly budget is zero or more, not " + budget.toPlainString());
    }
    if (budget != null && budget.precision() - budget.scale() > 12) {
      throw new IllegalArgumentException("A monthly budget has at most 12 digits before the point");
    }
    Tenant tenant =
        tenants.findById(id).orElseThrow(() -> new IllegalArgumentException("No such tenant"));
    tenant.setMonthlyBudget(
        budget == null ? null : budget.setScale(2, java.math.RoundingMode.HALF_UP));
    return tenants.save(tenant);
  }

  public Optional<Tenant> find(UUID id) {
    return tenants.findById(id);
  }

  public Optional<Tenant> findByName(String name) {
    return tenants.findByNameIgnoreCase(name.strip());
  }
}
