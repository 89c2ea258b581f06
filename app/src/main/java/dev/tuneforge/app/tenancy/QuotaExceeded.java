package dev.tuneforge.app.tenancy;

/**
 * An action refused because it would take the tenant over one of its quotas; the message names the
 * quota, the limit and the current use. An {@link IllegalArgumentException}, so forms show it as
 * they show any refused value; the APIs answer it with 429 and the quota's figures.
 */
public class QuotaExceeded extends IllegalArgumentException {
  private final Quota quota;
  private final long limit;
  private final long used;

  public QuotaExceeded(Quota quota, long limit, long used, String advice) {
    super(
        "Your team's quota of "
            + quota.describe(limit)
            + " is reached ("
            + quota.describe(used).replaceFirst(" at once$", "")
            + " in use); "
            + advice);
    this.quota = quota;
    this.limit = limit;
    this.used = used;
  }

  public Quota quota() {
    return quota;
  }

  public long limit() {
    return limit;
  }

  public long used() {
    return used;
  }
}
