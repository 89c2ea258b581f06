package dev.tuneforge.app.tenancy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates and lists tenants; platform admins only. */
@Service
public class TenantService {
  private final TenantRepository tenants;
  private final ApplicationEventPublisher events;

  TenantService(TenantRepository tenants, ApplicationEventPublisher events) {
    this.tenants = tenants;
    this.events = events;
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
    Tenant created = tenants.save(new Tenant(trimmed));
    events.publishEvent(
        new TenantChanged(created.getId(), created.getName(), TenantChanged.Change.CREATED, ""));
    return created;
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
    Tenant saved = tenants.save(tenant);
    events.publishEvent(
        new TenantChanged(
            saved.getId(),
            saved.getName(),
            TenantChanged.Change.BUDGET,
            saved.getMonthlyBudget() == null
                ? "no limit"
                : saved.getMonthlyBudget().toPlainString() + " a month"));
    return saved;
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
    Tenant saved = tenants.save(withSsoGroup(tenant, group));
    events.publishEvent(
        new TenantChanged(
            saved.getId(),
            saved.getName(),
            TenantChanged.Change.SSO_GROUP,
            saved.getSsoGroup() == null ? "local accounts" : "group " + saved.getSsoGroup()));
    return saved;
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
