package dev.tuneforge.app.evaluation;

/** A confidence interval, {@code low ≤ high}. */
public record Interval(double low, double high) {
  /** Whether the interval leaves 0 out: the sign of a difference is then clear. */
  public boolean excludesZero() {
    return low > 0 || high < 0;
  }
}
