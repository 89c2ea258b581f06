package dev.tuneforge.node.train;

import dev.tuneforge.protocol.TrainingSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a run stands after {@code step}, as {@code trainer_state.json} of a checkpoint holds it:
 * the next example is {@code positionInEpoch} of epoch {@code epoch}'s shuffled order (both
 * 0-based), and every random choice derives from {@code seed} by {@code rngScheme}. The batch
 * layout and schedule are kept so that a resume under other settings is refused; {@code spec}
 * and the sha256 fingerprints of the data are filled in by the job that writes the checkpoint.
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

  TrainerState withJob(@Nullable TrainingSpec jobSpec, @Nullable String data, @Nullable String validation) {
    return new TrainerState(
        formatVersion, step, totalSteps, epoch, positionInEpoch, seed, rngScheme, examples, batchSize,
        gradientAccumulation, schedule, optimizerSteps, trainedTokens, losses, validationLosses, bestValidationLoss,
        evaluationsWithoutImprovement, stoppedEarly, data, validation, jobSpec);
  }
}
