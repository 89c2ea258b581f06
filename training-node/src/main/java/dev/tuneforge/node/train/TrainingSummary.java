package dev.tuneforge.node.train;

import java.util.List;

/** What a finished run did: steps taken, tokens trained on (real, unpadded) and each step's loss. */
public record TrainingSummary(int steps, long trainedTokens, List<Double> losses) {

  public TrainingSummary {
    losses = List.copyOf(losses);
  }
}
