package dev.tuneforge.trainingnode.train;

import dev.tuneforge.modelformat.safetensors.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The mutable side of a run: what a checkpoint records and a resume restores. {@code epoch} and
 * {@code position} (both 0-based) name the next example in the epoch's shuffled order.
 */
final class RunProgress {

  int step;
  int epoch;
  int position;
  long tokens;
  final List<Double> losses = new ArrayList<>();
  final List<TrainerState.ValidationLoss> validationLosses = new ArrayList<>();
  final EarlyStopping earlyStopping;
  boolean stoppedEarly;
  @Nullable Map<String, Tensor> bestWeights;
  int bestStep;

  RunProgress(EarlyStopping earlyStopping) {
    this.earlyStopping = earlyStopping;
  }

  void advance(double loss, long stepTokens, int end, int epochSize) {
    step++;
    tokens += stepTokens;
    losses.add(loss);
    position = end;
    if (position == epochSize) {
      epoch++;
      position = 0;
    }
  }

  /** The trainable weights at the best measurement so far, for early stopping to go back to. */
  void keepBest(int measuredStep, Map<String, Tensor> weights) {
    bestStep = measuredStep;
    bestWeights = weights;
  }

  void restore(TrainerState state) {
    step = state.step();
    epoch = state.epoch();
    position = state.positionInEpoch();
    tokens = state.trainedTokens();
    losses.addAll(state.losses());
    validationLosses.addAll(state.validationLosses());
    earlyStopping.restore(state.bestValidationLoss(), state.evaluationsWithoutImprovement());
    stoppedEarly = state.stoppedEarly();
  }
}
