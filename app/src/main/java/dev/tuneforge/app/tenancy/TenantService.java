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

  /**
   * Marks a tenant for single sign-on: members of the provider's group {@code group} sign in into
   * it; blank makes it a tenant of local accounts again.
   *
   * @throws IllegalArgumentException for an unknown tenant or a group another tenant has
   */
  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public Tenant setSsoGroup(UUID id, @Nullable String group) {
    Tenant tenant =
        tenants.findById(id).orElseThrow(() -> new IllegalArgumentException("No such tenant"));
    return tenants.save(withSsoGroup(tenant, group));
  }

  /**
   * Creates the tenant {@code name} for the provider's group {@code group} unless one has that
   * group; for seeding at start-up (the local platform's demo realm), not reachable from pages.
   */
  @Transactional
  public Tenant ensureSsoTenant(String name, String group) {
    return tenants
        .findBySsoGroup(group)
        .orElseGet(
            () ->
                tenants.save(
                    withSsoGroup(
                        tenants.findByNameIgnoreCase(name).orElseGet(() -> new Tenant(name)),
                        group)));
  }

  /** The SSO tenant of the first of {@code groups} that one has, in the given order. */
  public Optional<Tenant> findBySsoGroup(Iterable<String> groups) {
    for (String group : groups) {
      Optional<Tenant> tenant = tenants.findBySsoGroup(group);
      if (tenant.isPresent()) {
        return tenant;
      }
    }
    return Optional.empty();
  }

  private Tenant withSsoGroup(Tenant tenant, @Nullable String group) {
    String name = group == null || group.isBlank() ? null : group.strip();
    if (name != null && name.length() > 200) {
      throw new IllegalArgumentException("An SSO group name has at most 200 characters");
    }
    if (name != null
        && tenants
            .findBySsoGroup(name)
            .filter(t -> !t.getId().equals(tenant.getId()))
            .isPresent()) {
      throw new IllegalArgumentException("Another tenant signs in with the group '" + name + "'");
    }
    tenant.setSsoGroup(name);
    return tenant;
  }

  public Optional<Tenant> find(UUID id) {
    return tenants.findById(id);
  }

  public Optional<Tenant> findByName(String name) {
    return tenants.findByNameIgnoreCase(name.strip());
  }
}
