package dev.tuneforge.app.usage;

/** What a job did with the node during a metered segment. */
public enum UsageKind {
  TRAINING,
  EVALUATION,
  /** Merging a LoRA job's adapter into its base for a merged export. */
  MERGE;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
