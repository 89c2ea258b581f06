package dev.tuneforge.app.tenancy;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A team: the unit of isolation. Its members see only its datasets, jobs and objects. */
@Entity
@Table(name = "tenant")
public class Tenant {
  @Id private UUID id;
  private String name;
  private Instant createdAt;
  private @Nullable BigDecimal monthlyBudget;
  private @Nullable String ssoGroup;
  private @Nullable Instant deletionDueAt;
  private @Nullable Integer maxRunningJobs;
  private @Nullable Integer maxQueuedJobs;
  private @Nullable Long maxStorageBytes;
  private @Nullable Integer maxBackgroundWork;
  private int dispatchWeight = 1;

  protected Tenant() {}

  Tenant(String name) {
    this.id = UUID.randomUUID();
    this.name = name;
    this.createdAt = Instant.now();
  }

  public UUID getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  /** What the tenant may spend per calendar month (UTC); null for no limit. */
  public @Nullable BigDecimal getMonthlyBudget() {
    return monthlyBudget;
  }

  void setMonthlyBudget(@Nullable BigDecimal budget) {
    monthlyBudget = budget;
  }

  /**
   * The group (or organization) of the single sign-on provider whose members belong to this tenant;
   * null for a tenant with local accounts.
   */
  public @Nullable String getSsoGroup() {
    return ssoGroup;
  }

  void setSsoGroup(@Nullable String group) {
    ssoGroup = group;
  }

  /**
   * When a tenant scheduled for deletion is removed for good; null for a tenant in use. While set,
   * its members cannot sign in and its API keys are refused.
   */
  public @Nullable Instant getDeletionDueAt() {
    return deletionDueAt;
  }

  public boolean isScheduledForDeletion() {
    return deletionDueAt != null;
  }

  void setDeletionDueAt(@Nullable Instant dueAt) {
    deletionDueAt = dueAt;
  }

  /** The quotas an admin set for this tenant; null fields take the platform's defaults. */
  public QuotaOverrides getQuotaOverrides() {
    return new QuotaOverrides(
        maxRunningJobs, maxQueuedJobs, maxStorageBytes, maxBackgroundWork, dispatchWeight);
  }

  void setQuotaOverrides(QuotaOverrides overrides) {
    maxRunningJobs = overrides.runningJobs();
    maxQueuedJobs = overrides.queuedJobs();
    maxStorageBytes = overrides.storageBytes();
    maxBackgroundWork = overrides.backgroundWork();
    dispatchWeight = overrides.dispatchWeight();
  }
}
