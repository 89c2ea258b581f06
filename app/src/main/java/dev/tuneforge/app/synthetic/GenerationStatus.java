package dev.tuneforge.app.synthetic;

/** Where a generation job is; the last three are final. */
public enum GenerationStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean finished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** Lower case, as the UI and docs write it. */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
