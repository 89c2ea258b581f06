package dev.tuneforge.app.tenancy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, lists and deletes tenants; platform admins only. */
@Service
public class TenantService {
  private final TenantRepository tenants;
  private final Clock clock;
  private final ApplicationEventPublisher events;
  private final Duration deletionGracePeriod;

  /**
   * @param deletionGracePeriod how long a deleted tenant can still be restored before its rows and
   *     objects are removed for good
   */
  TenantService(
      TenantRepository tenants,
      Clock clock,
      ApplicationEventPublisher events,
      @Value("${tuneforge.tenants.deletion-grace-period:7d}") Duration deletionGracePeriod) {
    this.tenants = tenants;
    this.clock = clock;
    this.events = events;
    this.deletionGracePeriod = deletionGracePeriod;
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
    Tenant tenant = existing(id);
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
    Tenant tenant = existing(id);
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

  /**
   * The SSO tenant of the first of {@code groups} that one has, in the given order; a tenant
   * scheduled for deletion takes no sign-ins.
   */
  public Optional<Tenant> findBySsoGroup(Iterable<String> groups) {
    for (String group : groups) {
      Optional<Tenant> tenant =
          tenants.findBySsoGroup(group).filter(t -> !t.isScheduledForDeletion());
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

  /**
   * Schedules the tenant's deletion: from now its members cannot sign in and its API keys are
   * refused; features stop its jobs on {@link TenantDeletionScheduled}; after the grace period its
   * rows and objects are removed. {@code typedName} must be the tenant's name, as a confirmation.
   *
   * @throws IllegalArgumentException for an unknown tenant or a name that does not match
   * @throws TenantStateConflict for a tenant already scheduled
   */
  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public Tenant scheduleDeletion(UUID id, String typedName) {
    Tenant tenant = existing(id);
    if (!tenant.getName().equals(typedName.strip())) {
      throw new IllegalArgumentException(
          "Type the tenant's name '" + tenant.getName() + "' to confirm its deletion");
    }
    if (tenant.isScheduledForDeletion()) {
      throw new TenantStateConflict(
          "Tenant '" + tenant.getName() + "' is already scheduled for deletion");
    }
    Instant due = clock.instant().plus(deletionGracePeriod);
    tenant.setDeletionDueAt(due);
    events.publishEvent(new TenantDeletionScheduled(id, tenant.getName(), due, actor()));
    return tenants.save(tenant);
  }

  /**
   * Undoes a scheduled deletion during the grace period: members sign in and keys work again; jobs
   * cancelled by the deletion stay cancelled.
   *
   * @throws IllegalArgumentException for an unknown tenant
   * @throws TenantStateConflict for one not scheduled for deletion, or one whose grace period is
   *     over (its removal is under way)
   */
  @PreAuthorize("hasRole('PLATFORM_ADMIN')")
  @Transactional
  public Tenant undoDeletion(UUID id) {
    Tenant tenant = existing(id);
    Instant due = tenant.getDeletionDueAt();
    if (due == null) {
      throw new TenantStateConflict(
          "Tenant '" + tenant.getName() + "' is not scheduled for deletion");
    }
    if (!due.isAfter(clock.instant())) {
      throw new TenantStateConflict(
          "The grace period of tenant '"
              + tenant.getName()
              + "' is over; its removal is under way");
    }
    tenant.setDeletionDueAt(null);
    events.publishEvent(new TenantDeletionUndone(id, tenant.getName(), actor()));
    return tenants.save(tenant);
  }

  /** Tenants whose grace period is over at {@code now}: the background removal's work. */
  public List<Tenant> dueForRemoval(Instant now) {
    return tenants.findByDeletionDueAtLessThanEqualOrderByDeletionDueAt(now);
  }

  /** Whether the tenant is in use: it exists and is not scheduled for deletion. */
  public boolean isActive(UUID id) {
    return tenants.findById(id).map(t -> !t.isScheduledForDeletion()).orElse(false);
  }

  private Tenant existing(UUID id) {
    return tenants.findById(id).orElseThrow(() -> new IllegalArgumentException("No such tenant"));
  }

  private static String actor() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    return auth == null ? "system" : auth.getName();
  }

  public Optional<Tenant> find(UUID id) {
    return tenants.findById(id);
  }

  public Optional<Tenant> findByName(String name) {
    return tenants.findByNameIgnoreCase(name.strip());
  }
}
