package dev.tuneforge.trainingnode.train;

import java.util.Locale;

/**
 * Linear warm-up to the peak, then linear or cosine decay towards zero at the last step, as Hugging
 * Face's {@code get_linear_schedule_with_warmup} and {@code get_cosine_schedule_with_warmup}, but
 * counting steps from 1 so that no step is spent at learning rate 0. A pure function of the step,
 * so a resumed run only needs the step to be back on the curve.
 */
public record LearningRateSchedule(Decay decay, double peak, int warmupSteps, int totalSteps) {

  /** How the rate falls after warm-up; {@code linear} and {@code cosine} in a training spec. */
  public enum Decay {
    LINEAR,
    COSINE;

    public static Decay parse(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "linear" -> LINEAR;
        case "cosine" -> COSINE;
        default ->
            throw new IllegalArgumentException(
                "unknown schedule \"" + name + "\"; expected linear or cosine");
      };
    }
  }

  public static LearningRateSchedule withWarmupRatio(
      Decay decay, double peak, double warmupRatio, int totalSteps) {
    if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
      throw new IllegalArgumentException("warmupRatio must be between 0 and 1, not " + warmupRatio);
    }
    return new LearningRateSchedule(
        decay, peak, (int) Math.ceil(warmupRatio * totalSteps), totalSteps);
  }

  /** The learning rate of 1-based {@code step}. */
  public double at(int step) {
    if (step <= warmupSteps) {
      return peak * step / warmupSteps;
    }
    double decaySteps = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (step - warmupSteps - 1) / decaySteps);
    return switch (decay) {
      case LINEAR -> peak * (1 - progress);
      case COSINE -> peak * 0.5 * (1 + Math.cos(Math.PI * progress));
    };
  }
}
