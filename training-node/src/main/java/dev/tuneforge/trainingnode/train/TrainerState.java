package dev.tuneforge.trainingnode.train;

import dev.tuneforge.protocol.TrainingSpec;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a run stands after {@code step}, as {@code trainer_state.json} of a checkpoint holds it:
 * the next example is {@code positionInEpoch} of epoch {@code epoch}'s shuffled order (both
 * 0-based), and every random choice derives from {@code seed} by {@code rngScheme}. The batch
 * layout and schedule are kept so that a resume under other settings is refused; {@code spec} and
 * the sha256 fingerprints of the data are filled in by the job that writes the checkpoint. {@code
 * bestValidationLoss} is the best value of the metric early stopping watches: the validation loss,
 * or the field F1 when the spec's {@code earlyStoppingMetric} is {@code field_f1}. Made with {@link
 * #builder()}; the canonical constructor is the one JSON reads it with.
 */
public record TrainerState(
    int formatVersion,
    int step,
    int totalSteps,
    int epoch,
    int positionInEpoch,
    long seed,
    String rngScheme,
    int examples,
    int batchSize,
    int gradientAccumulation,
    LearningRateSchedule schedule,
    int optimizerSteps,
    long trainedTokens,
    List<Double> losses,
    List<ValidationLoss> validationLosses,
    @Nullable Double bestValidationLoss,
    int evaluationsWithoutImprovement,
    boolean stoppedEarly,
    @Nullable String dataSha256,
    @Nullable String validationSha256,
    @Nullable TrainingSpec spec) {

  public static final int FORMAT_VERSION = 1;

  /** The mean validation loss measured after {@code step}. */
  public record ValidationLoss(int step, double loss) {}

  public TrainerState {
    losses = List.copyOf(losses);
    validationLosses = List.copyOf(validationLosses);
  }

  TrainerState withJob(
      @Nullable TrainingSpec jobSpec, @Nullable String data, @Nullable String validation) {
    return toBuilder().optJob(jobSpec, data, validation).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this state's values. */
  Builder toBuilder() {
    Builder b = new Builder();
    b.formatVersion = formatVersion;
    b.step = step;
    b.totalSteps = totalSteps;
    b.epoch = epoch;
    b.positionInEpoch = positionInEpoch;
    b.seed = seed;
    b.rngScheme = rngScheme;
    b.examples = examples;
    b.batchSize = batchSize;
    b.gradientAccumulation = gradientAccumulation;
    b.schedule = schedule;
    b.optimizerSteps = optimizerSteps;
    b.trainedTokens = trainedTokens;
    b.losses = losses;
    b.validationLosses = validationLosses;
    b.bestValidationLoss = bestValidationLoss;
    b.evaluationsWithoutImprovement = evaluationsWithoutImprovement;
    b.stoppedEarly = stoppedEarly;
    b.dataSha256 = dataSha256;
    b.validationSha256 = validationSha256;
    b.spec = spec;
    return b;
  }

  /**
   * {@code setX} for where the run stands and the settings a resume must match, {@code optX} for
   * what it measured and the job's stamps (none, by default). The format version is the current
   * one.
   */
  public static final class Builder {
    private int formatVersion = FORMAT_VERSION;
    private int step;
    private int totalSteps;
    private int epoch;
    private int positionInEpoch;
    private long seed;
    private @Nullable String rngScheme;
    private int examples;
    private int batchSize;
    private int gradientAccumulation;
    private @Nullable LearningRateSchedule schedule;
    private int optimizerSteps;
    private long trainedTokens;
    private List<Double> losses = List.of();
    private List<ValidationLoss> validationLosses = List.of();
    private @Nullable Double bestValidationLoss;
    private int evaluationsWithoutImprovement;
    private boolean stoppedEarly;
    private @Nullable String dataSha256;
    private @Nullable String validationSha256;
    private @Nullable TrainingSpec spec;

    private Builder() {}

    /** Steps done, of {@code totalSteps}. */
    public Builder setStep(int step, int totalSteps) {
      this.step = step;
      this.totalSteps = totalSteps;
      return this;
    }

    /**
     * The next example: {@code positionInEpoch} of epoch {@code epoch}'s shuffled order (both
     * 0-based).
     */
    public Builder setPosition(int epoch, int positionInEpoch) {
      this.epoch = epoch;
      this.positionInEpoch = positionInEpoch;
      return this;
    }

    /** The seed every random choice derives from, by {@code rngScheme}. */
    public Builder setSeed(long seed, String rngScheme) {
      this.seed = seed;
      this.rngScheme = rngScheme;
      return this;
    }

    /** The batch layout: training examples, examples per micro-batch and micro-batches per step. */
    public Builder setBatches(int examples, int batchSize, int gradientAccumulation) {
      this.examples = examples;
      this.batchSize = batchSize;
      this.gradientAccumulation = gradientAccumulation;
      return this;
    }

    public Builder setSchedule(LearningRateSchedule schedule) {
      this.schedule = schedule;
      return this;
    }

    /** The optimiser's steps and the tokens trained on so far. */
    public Builder setTrained(int optimizerSteps, long trainedTokens) {
      this.optimizerSteps = optimizerSteps;
      this.trainedTokens = trainedTokens;
      return this;
    }

    /** The training loss of every step so far. */
    public Builder optLosses(List<Double> losses) {
      this.losses = losses;
      return this;
    }

    public Builder optValidationLosses(List<ValidationLoss> validationLosses) {
      this.validationLosses = validationLosses;
      return this;
    }

    /**
     * Early stopping's best validation loss, how many evaluations since did not improve on it, and
     * whether it stopped the run.
     */
    public Builder optEarlyStopping(
        @Nullable Double bestValidationLoss,
        int evaluationsWithoutImprovement,
        boolean stoppedEarly) {
      this.bestValidationLoss = bestValidationLoss;
      this.evaluationsWithoutImprovement = evaluationsWithoutImprovement;
      this.stoppedEarly = stoppedEarly;
      return this;
    }

    /**
     * The job's spec and the sha256 of its training and validation data, as the checkpoint's writer
     * knows them.
     */
    public Builder optJob(
        @Nullable TrainingSpec spec,
        @Nullable String dataSha256,
        @Nullable String validationSha256) {
      this.spec = spec;
      this.dataSha256 = dataSha256;
      this.validationSha256 = validationSha256;
      return this;
    }

    public TrainerState build() {
      return new TrainerState(
          formatVersion,
          step,
          totalSteps,
          epoch,
          positionInEpoch,
          seed,
          Objects.requireNonNull(rngScheme, "setSeed"),
          examples,
          batchSize,
          gradientAccumulation,
          Objects.requireNonNull(schedule, "setSchedule"),
          optimizerSteps,
          trainedTokens,
          losses,
          validationLosses,
          bestValidationLoss,
          evaluationsWithoutImprovement,
          stoppedEarly,
          dataSha256,
          validationSha256,
          spec);
    }
  }
}
