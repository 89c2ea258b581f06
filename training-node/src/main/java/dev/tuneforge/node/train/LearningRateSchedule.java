package dev.tuneforge.node.train;

/**
 * Linear warm-up to the peak, then linear decay towards zero at the last step, as Hugging
 * Face's {@code get_linear_schedule_with_warmup}, but counting steps from 1 so that no step
 * is spent at learning rate 0.
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps) {

  public static LearningRateSchedule withWarmupRatio(double peak, double warmupRatio, int totalSteps) {
    return new LearningRateSchedule(peak, (int) Math.ceil(warmupRatio * totalSteps), totalSteps);
  }

  /** The learning rate of 1-based {@code step}. */
  public double at(int step) {
    if (step <= warmupSteps) {
      return peak * step / warmupSteps;
    }
    double remaining = (double) (totalSteps - step + 1) / Math.max(1, totalSteps - warmupSteps);
    return peak * Math.max(0.0, remaining);
  }
}
