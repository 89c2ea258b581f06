package dev.tuneforge.node.train;

import java.util.List;

/**
 * What a run did, counted from its first step even when it resumed: steps taken, tokens
 * trained on (real, unpadded), each step's loss, the validation losses, and whether early
 * stopping ended it.
 */
public record TrainingSummary(
    int steps,
    long trainedTokens,
    List<Double> losses,
    List<TrainerState.ValidationLoss> validationLosses,
    boolean stoppedEarly) {

  public TrainingSummary {
    losses = List.copyOf(losses);
    validationLosses = List.copyOf(validationLosses);
  }
}
