package dev.tuneforge.app.tenancy;

import org.jspecify.annotations.Nullable;

/**
 * A tenant's own quotas as a platform admin set them: null for the platform's default; and its
 * weight in dispatch's fair share (1 to 100, default 1: a tenant of weight 2 gets twice the node
 * time of one of weight 1 when both wait).
 */
public record QuotaOverrides(
    @Nullable Integer runningJobs,
    @Nullable Integer queuedJobs,
    @Nullable Long storageBytes,
    @Nullable Integer backgroundWork,
    int dispatchWeight) {

  public static final QuotaOverrides NONE = new QuotaOverrides(null, null, null, null, 1);

  /** Why these cannot be stored, or null when they can. */
  @Nullable String problem() {
    if (negative(runningJobs) || negative(queuedJobs) || negative(storageBytes)) {
      return "A quota is zero or more";
    }
    if (backgroundWork != null && backgroundWork < 1) {
      return "A team runs at least 1 background task at once";
    }
    if (dispatchWeight < 1 || dispatchWeight > 100) {
      return "A dispatch weight is 1 to 100, not " + dispatchWeight;
    }
    return null;
  }

  private static boolean negative(@Nullable Number value) {
    return value != null && value.longValue() < 0;
  }
}
