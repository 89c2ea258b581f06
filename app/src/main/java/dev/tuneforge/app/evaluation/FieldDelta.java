package dev.tuneforge.app.evaluation;

/** One key path in base and tuned; deltas are tuned minus base. */
public record FieldDelta(String path, FieldStats base, FieldStats tuned) {
  public double f1Delta() {
    return tuned.counts().f1() - base.counts().f1();
  }

  public double exactMatchRateDelta() {
    return tuned.exactMatchRate() - base.exactMatchRate();
  }

  public double normalisedMatchRateDelta() {
    return tuned.normalisedMatchRate() - base.normalisedMatchRate();
  }
}
