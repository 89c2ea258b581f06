package dev.tuneforge.trainingnode.train;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a run did, counted from its first step even when it resumed: steps taken, tokens trained on
 * (real, unpadded), each step's loss, the validation losses, whether early stopping ended it, and
 * the reason of a stop request that ended it (null when none did).
 */
public record TrainingSummary(
    int steps,
    long trainedTokens,
    List<Double> losses,
    List<TrainerState.ValidationLoss> validationLosses,
    boolean stoppedEarly,
    @Nullable String stopReason) {

  public TrainingSummary {
    losses = List.copyOf(losses);
    validationLosses = List.copyOf(validationLosses);
  }
}
