package dev.tuneforge.app.tenancy;

/** What a tenant's quotas limit; the id is how the API names the quota. */
public enum Quota {
  RUNNING_JOBS("running_jobs", "running fine-tunes"),
  QUEUED_JOBS("queued_jobs", "queued fine-tunes"),
  STORAGE("storage_bytes", "bytes of storage"),
  BACKGROUND_WORK("background_work", "background tasks at once");

  private final String id;
  private final String unit;

  Quota(String id, String unit) {
    this.id = id;
    this.unit = unit;
  }

  public String id() {
    return id;
  }

  /** The amount in this quota's words: {@code 3 queued fine-tunes}, {@code 1.5 GiB of storage}. */
  public String describe(long amount) {
    if (this == STORAGE) {
      return bytes(amount) + " of storage";
    }
    return amount + " " + unit;
  }

  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
