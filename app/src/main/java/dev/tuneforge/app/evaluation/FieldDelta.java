package dev.tuneforge.app.evaluation;

import org.jspecify.annotations.Nullable;

/** One key path in base and tuned; deltas are tuned minus base. */
public record FieldDelta(String path, FieldStats base, FieldStats tuned) {
  /** Null when either model's F1 is undefined. */
  public @Nullable Double f1Delta() {
    return Ratios.delta(base.counts().f1(), tuned.counts().f1());
  }

  public double exactMatchRateDelta() {
    return tuned.exactMatchRate() - base.exactMatchRate();
  }

  public double normalisedMatchRateDelta() {
    return tuned.normalisedMatchRate() - base.normalisedMatchRate();
  }
}
