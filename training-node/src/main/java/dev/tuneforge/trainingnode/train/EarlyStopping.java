package dev.tuneforge.trainingnode.train;

import org.jspecify.annotations.Nullable;

/**
 * Patience on a measured metric, the validation loss (lower is better) or the field F1 of the
 * validation sample (higher is better): the run stops once {@code patience} measurements in a row
 * did not improve on the best so far (0: never). Its two numbers go into every checkpoint.
 */
final class EarlyStopping {

  private final int patience;
  private final boolean higherIsBetter;
  private @Nullable Double best;
  private int withoutImprovement;

  /** Patience on the validation loss. */
  EarlyStopping(int patience) {
    this(patience, false);
  }

  EarlyStopping(int patience, boolean higherIsBetter) {
    this.patience = patience;
    this.higherIsBetter = higherIsBetter;
  }

  /** Records a measurement; true when the run should stop now. */
  boolean record(double value) {
    if (best == null || (higherIsBetter ? value > best : value < best)) {
      best = value;
      withoutImprovement = 0;
    } else {
      withoutImprovement++;
    }
    return patience > 0 && withoutImprovement >= patience;
  }

  /** Whether the last measurement was a new best. */
  boolean improved() {
    return best != null && withoutImprovement == 0;
  }

  boolean active() {
    return patience > 0;
  }

  @Nullable Double best() {
    return best;
  }

  int withoutImprovement() {
    return withoutImprovement;
  }

  void restore(@Nullable Double savedBest, int savedWithoutImprovement) {
    best = savedBest;
    withoutImprovement = savedWithoutImprovement;
  }
}
