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
 *   <li>{@code evaluationExamples} (100): after training, how many examples of the evaluation
 *       set (the lease's {@code data/evaluation.jsonl}, else {@code data/validation.jsonl}) the
 *       base and the tuned model generate for; 0 skips the evaluation.
 *   <li>{@code evaluationMaxNewTokens} (256): greedy decoding stops at EOS or after this many
 *       tokens, in the evaluation and in the samples.
 *   <li>{@code samplesPerValidation} (1): each time the validation loss is measured, the tuned
 *       model so far also answers this many validation prompts, sent as {@code sample} events.
 *   <li>{@code packing} (false): each optimiser step's examples are packed several to a row of
 *       {@code maxSequenceLength} tokens instead of one to a padded row; attention stays within
 *       each example and positions restart at 0 per example, so the loss and gradients are those
 *       of unpacked training with less padding computed.
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
    @Nullable Double maxGradNorm,
    @Nullable Integer evaluationExamples,
    @Nullable Integer evaluationMaxNewTokens,
    @Nullable Integer samplesPerValidation,
    @Nullable Boolean packing) {

  public static final TrainingOptions DEFAULTS =
      new TrainingOptions(50, "linear", 0.1, 1, 0, 0, 0.0, 1.0, 100, 256, 1, false);

  /** All options but {@code packing}, which stays off. */
  public TrainingOptions(
      @Nullable Integer checkpointEvery,
      @Nullable String schedule,
      @Nullable Double warmupRatio,
      @Nullable Integer gradientAccumulation,
      @Nullable Integer validationEvery,
      @Nullable Integer earlyStoppingPatience,
      @Nullable Double weightDecay,
      @Nullable Double maxGradNorm,
      @Nullable Integer evaluationExamples,
      @Nullable Integer evaluationMaxNewTokens,
      @Nullable Integer samplesPerValidation) {
    this(checkpointEvery, schedule, warmupRatio, gradientAccumulation, validationEvery, earlyStoppingPatience,
        weightDecay, maxGradNorm, evaluationExamples, evaluationMaxNewTokens, samplesPerValidation, null);
  }

  /** Only the first eight options; the evaluation ones take their defaults. */
  public TrainingOptions(
      @Nullable Integer checkpointEvery,
      @Nullable String schedule,
      @Nullable Double warmupRatio,
      @Nullable Integer gradientAccumulation,
      @Nullable Integer validationEvery,
      @Nullable Integer earlyStoppingPatience,
      @Nullable Double weightDecay,
      @Nullable Double maxGradNorm) {
    this(checkpointEvery, schedule, warmupRatio, gradientAccumulation, validationEvery, earlyStoppingPatience,
        weightDecay, maxGradNorm, null, null, null, null);
  }

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
        or(maxGradNorm, DEFAULTS.maxGradNorm),
        or(evaluationExamples, DEFAULTS.evaluationExamples),
        or(evaluationMaxNewTokens, DEFAULTS.evaluationMaxNewTokens),
        or(samplesPerValidation, DEFAULTS.samplesPerValidation),
        or(packing, DEFAULTS.packing));
  }

  private static <T> @Nullable T or(@Nullable T value, @Nullable T fallback) {
    return value != null ? value : fallback;
  }
}
