package dev.tuneforge.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Optional training settings; a missing (null) one takes its default from {@link #DEFAULTS}.
 *
 * <ul>
 *   <li>{@code checkpointEvery} (50): steps between checkpoints; 0 writes one only at the end.
 *   <li>{@code schedule} ({@code linear}): decay after warm-up, {@code linear} or {@code cosine}.
 *   <li>{@code warmupRatio} (0.1): share of the steps spent warming up linearly.
 *   <li>{@code gradientAccumulation} (1): micro-batches of {@code batchSize} per optimiser step.
 *   <li>{@code validationEvery} (0): steps between validation losses when the job has a
 *       validation file; 0 measures only after the last step.
 *   <li>{@code earlyStoppingPatience} (0): stop after this many validation losses in a row that
 *       do not improve on the best; 0 never stops early.
 *   <li>{@code weightDecay} (0.0): AdamW's decoupled weight decay.
 *   <li>{@code maxGradNorm} (1.0): gradients are clipped to this global norm.
 * </ul>
 */
public record TrainingOptions(
    @Nullable Integer checkpointEvery,
    @Nullable String schedule,
    @Nullable Double warmupRatio,
    @Nullable Integer gradientAccumulation,
    @Nullable Integer validationEvery,
    @Nullable Integer earlyStoppingPatience,
    @Nullable Double weightDecay,
    @Nullable Double maxGradNorm) {

  public static final TrainingOptions DEFAULTS = new TrainingOptions(50, "linear", 0.1, 1, 0, 0, 0.0, 1.0);

  /** These options with every missing one set to its default. */
  public TrainingOptions withDefaults() {
    return new TrainingOptions(
        or(checkpointEvery, DEFAULTS.checkpointEvery),
        or(schedule, DEFAULTS.schedule),
        or(warmupRatio, DEFAULTS.warmupRatio),
        or(gradientAccumulation, DEFAULTS.gradientAccumulation),
        or(validationEvery, DEFAULTS.validationEvery),
        or(earlyStoppingPatience, DEFAULTS.earlyStoppingPatience),
        or(weightDecay, DEFAULTS.weightDecay),
        or(maxGradNorm, DEFAULTS.maxGradNorm));
  }

  private static <T> @Nullable T or(@Nullable T value, @Nullable T fallback) {
    return value != null ? value : fallback;
  }
}
