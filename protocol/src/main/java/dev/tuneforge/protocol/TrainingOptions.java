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
 *   <li>{@code validationEvery} (0): steps between validation losses when the job has a validation
 *       file; 0 measures only after the last step.
 *   <li>{@code earlyStoppingPatience} (0): stop after this many validation losses in a row that do
 *       not improve on the best; 0 never stops early.
 *   <li>{@code weightDecay} (0.0): AdamW's decoupled weight decay.
 *   <li>{@code maxGradNorm} (1.0): gradients are clipped to this global norm.
 *   <li>{@code evaluationExamples} (100): after training, how many examples of the evaluation set
 *       (the lease's {@code data/evaluation.jsonl}, else {@code data/validation.jsonl}) the base
 *       and the tuned model generate for; 0 skips the evaluation.
 *   <li>{@code evaluationMaxNewTokens} (256): greedy decoding stops at EOS or after this many
 *       tokens, in the evaluation and in the samples.
 *   <li>{@code samplesPerValidation} (1): each time the validation loss is measured, the tuned
 *       model so far also answers this many validation prompts, sent as {@code sample} events.
 *   <li>{@code packing} (false): each optimiser step's examples are packed several to a row of
 *       {@code maxSequenceLength} tokens instead of one to a padded row; attention stays within
 *       each example and positions restart at 0 per example, so the loss and gradients are those of
 *       unpacked training with less padding computed.
 *   <li>{@code fieldF1Examples} (16): each time the validation loss is measured, the tuned model so
 *       far also answers this many validation prompts, a fixed sample drawn with the run's seed,
 *       and their micro field F1 is sent as a {@code field_f1} event; only when every expected
 *       answer of the validation set is a JSON object; 0 turns it off.
 *   <li>{@code earlyStoppingMetric} ({@code validation_loss}): what early stopping watches, the
 *       validation loss (lower is better) or {@code field_f1} (higher is better).
 *   <li>{@code retention} (none): after the evaluation, base and tuned also answer a
 *       general-ability set, {@code builtin} (the node's own short generic instructions) or {@code
 *       dataset} (the lease's {@code data/retention.jsonl}), written to {@code
 *       evaluation/retention.jsonl}.
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
    @Nullable Boolean packing,
    @Nullable Integer fieldF1Examples,
    @Nullable String earlyStoppingMetric,
    @Nullable String retention) {

  /** Early stopping on the validation loss. */
  public static final String VALIDATION_LOSS = "validation_loss";

  /** Early stopping on the field F1 of the fixed validation sample. */
  public static final String FIELD_F1 = "field_f1";

  /** The retention check on the node's built-in general-ability set. */
  public static final String RETENTION_BUILTIN = "builtin";

  /** The retention check on the team's own set, the lease's {@code data/retention.jsonl}. */
  public static final String RETENTION_DATASET = "dataset";

  public static final TrainingOptions DEFAULTS =
      new TrainingOptions(
          50, "linear", 0.1, 1, 0, 0, 0.0, 1.0, 100, 256, 1, false, 16, VALIDATION_LOSS, null);

  /** Options with none set, to set the few that differ from the defaults. */
  public static Builder builder() {
    return new Builder();
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
        or(packing, DEFAULTS.packing),
        or(fieldF1Examples, DEFAULTS.fieldF1Examples),
        or(earlyStoppingMetric, DEFAULTS.earlyStoppingMetric),
        retention);
  }

  /** Whether early stopping watches the field F1 rather than the validation loss. */
  public boolean stopsOnFieldF1() {
    return FIELD_F1.equals(earlyStoppingMetric);
  }

  private static <T> @Nullable T or(@Nullable T value, @Nullable T fallback) {
    return value != null ? value : fallback;
  }

  /** Sets options one by one; every option not set stays null and so takes its default. */
  public static final class Builder {
    private @Nullable Integer checkpointEvery;
    private @Nullable String schedule;
    private @Nullable Double warmupRatio;
    private @Nullable Integer gradientAccumulation;
    private @Nullable Integer validationEvery;
    private @Nullable Integer earlyStoppingPatience;
    private @Nullable Double weightDecay;
    private @Nullable Double maxGradNorm;
    private @Nullable Integer evaluationExamples;
    private @Nullable Integer evaluationMaxNewTokens;
    private @Nullable Integer samplesPerValidation;
    private @Nullable Boolean packing;
    private @Nullable Integer fieldF1Examples;
    private @Nullable String earlyStoppingMetric;
    private @Nullable String retention;

    private Builder() {}

    public Builder optCheckpointEvery(int steps) {
      this.checkpointEvery = steps;
      return this;
    }

    public Builder optSchedule(String schedule) {
      this.schedule = schedule;
      return this;
    }

    public Builder optWarmupRatio(double ratio) {
      this.warmupRatio = ratio;
      return this;
    }

    public Builder optGradientAccumulation(int microBatches) {
      this.gradientAccumulation = microBatches;
      return this;
    }

    public Builder optValidationEvery(int steps) {
      this.validationEvery = steps;
      return this;
    }

    public Builder optEarlyStoppingPatience(int validations) {
      this.earlyStoppingPatience = validations;
      return this;
    }

    public Builder optWeightDecay(double decay) {
      this.weightDecay = decay;
      return this;
    }

    public Builder optMaxGradNorm(double norm) {
      this.maxGradNorm = norm;
      return this;
    }

    public Builder optEvaluationExamples(int examples) {
      this.evaluationExamples = examples;
      return this;
    }

    public Builder optEvaluationMaxNewTokens(int tokens) {
      this.evaluationMaxNewTokens = tokens;
      return this;
    }

    public Builder optSamplesPerValidation(int samples) {
      this.samplesPerValidation = samples;
      return this;
    }

    public Builder optPacking(boolean packing) {
      this.packing = packing;
      return this;
    }

    public Builder optFieldF1Examples(int examples) {
      this.fieldF1Examples = examples;
      return this;
    }

    /** {@link #VALIDATION_LOSS} or {@link #FIELD_F1}. */
    public Builder optEarlyStoppingMetric(String metric) {
      this.earlyStoppingMetric = metric;
      return this;
    }

    /** {@link #RETENTION_BUILTIN}, {@link #RETENTION_DATASET}, or null for no retention check. */
    public Builder optRetention(@Nullable String set) {
      this.retention = set;
      return this;
    }

    public TrainingOptions build() {
      return new TrainingOptions(
          checkpointEvery,
          schedule,
          warmupRatio,
          gradientAccumulation,
          validationEvery,
          earlyStoppingPatience,
          weightDecay,
          maxGradNorm,
          evaluationExamples,
          evaluationMaxNewTokens,
          samplesPerValidation,
          packing,
          fieldF1Examples,
          earlyStoppingMetric,
          retention);
    }
  }
}
