package dev.tuneforge.trainingnode.jobprocess;

import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.train.TrainerState;
import org.jspecify.annotations.Nullable;

/**
 * A run that continues from another job's checkpoint ({@code continue/}): its weights always carry
 * over; the optimiser's moments only when the source trained them under the same learning rate,
 * effective batch, weight decay and method, since moments gathered under other settings would steer
 * the first steps wrongly.
 */
final class ContinuedRun {
  private ContinuedRun() {}

  /** What keeps the source's optimiser state from being used, or null when it can be. */
  static @Nullable String optimizerDifference(TrainerState source, TrainingSpec spec) {
    TrainingSpec was = source.spec();
    if (was == null) {
      return "the checkpoint does not say how it was trained";
    }
    TrainingOptions options = spec.resolvedOptions();
    if (!same(was.method(), spec.method())) {
      return "the method differs (" + method(was) + " before, " + method(spec) + " now)";
    }
    if (was.hyperparameters().learningRate() != spec.hyperparameters().learningRate()) {
      return "the learning rate differs ("
          + was.hyperparameters().learningRate()
          + " before, "
          + spec.hyperparameters().learningRate()
          + " now)";
    }
    int before = source.batchSize() * source.gradientAccumulation();
    int now = spec.hyperparameters().batchSize() * options.gradientAccumulation();
    if (before != now) {
      return "the effective batch differs (" + before + " before, " + now + " now)";
    }
    double decayBefore = was.resolvedOptions().weightDecay();
    if (decayBefore != options.weightDecay()) {
      return "the weight decay differs ("
          + decayBefore
          + " before, "
          + options.weightDecay()
          + " now)";
    }
    return null;
  }

  /** The job's log line: where it continues from and whether the optimiser state came along. */
  static String describe(TrainerState source, @Nullable String optimizerDifference) {
    TrainingSpec was = source.spec();
    return "continued from step "
        + source.step()
        + (was == null ? "" : " of job " + was.jobId())
        + (optimizerDifference == null
            ? ", with its optimizer state"
            : ", with a fresh optimizer: " + optimizerDifference);
  }

  private static boolean same(@Nullable String a, @Nullable String b) {
    return method(a).equals(method(b));
  }

  private static String method(TrainingSpec spec) {
    return method(spec.method());
  }

  private static String method(@Nullable String method) {
    return method == null ? TrainingSpec.LORA : method;
  }
}
