package dev.tuneforge.app.usage;

/** What a job did with the node during a metered segment. */
public enum UsageKind {
  TRAINING,
  EVALUATION;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
