package dev.tuneforge.app.tenancy;

/**
 * A tenant's quotas in effect (its own where an admin set them, the platform's defaults otherwise)
 * and its weight in dispatch's fair share.
 */
public record QuotaLimits(
    int runningJobs, int queuedJobs, long storageBytes, int backgroundWork, int dispatchWeight) {

  /**
   * Throws {@link QuotaExceeded} when {@code used} plus {@code adding} goes over the quota's limit.
   */
  public void check(Quota quota, long used, long adding, String advice) {
    long limit = limit(quota);
    if (used + adding > limit) {
      throw new QuotaExceeded(quota, limit, used, advice);
    }
  }

  public long limit(Quota quota) {
    return switch (quota) {
      case RUNNING_JOBS -> runningJobs;
      case QUEUED_JOBS -> queuedJobs;
      case STORAGE -> storageBytes;
      case BACKGROUND_WORK -> backgroundWork;
    };
  }
}
