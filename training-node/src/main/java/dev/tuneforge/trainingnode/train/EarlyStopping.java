package dev.tuneforge.trainingnode.train;

import org.jspecify.annotations.Nullable;

/**
 * Patience on validation loss: the run stops once {@code patience} measurements in a row did not
 * improve on the best so far (0: never). Its two numbers go into every checkpoint.
 */
final class EarlyStopping {

  private final int patience;
  private @Nullable Double best;
  private int withoutImprovement;

  EarlyStopping(int patience) {
    this.patience = patience;
  }

  /** Records a measurement; true when the run should stop now. */
  boolean record(double loss) {
    if (best == null || loss < best) {
      best = loss;
      withoutImprovement = 0;
    } else {
      withoutImprovement++;
    }
    return patience > 0 && withoutImprovement >= patience;
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
