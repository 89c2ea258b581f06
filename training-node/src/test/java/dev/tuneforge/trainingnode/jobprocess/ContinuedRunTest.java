package dev.tuneforge.trainingnode.jobprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.protocol.Hyperparameters;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.protocol.TrainingOptions;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.train.LearningRateSchedule;
import dev.tuneforge.trainingnode.train.TrainerState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A continued run keeps the source's optimizer state only where its moments still fit: the same
 * method, learning rate, effective batch and weight decay; the job's log says which and why.
 */
class ContinuedRunTest {
  private static final TrainingOptions OPTIONS = TrainingOptions.builder().build();

  @Test
  void theOptimizerStateComesAlongUnderTheSameSettingsAndIsNamedOtherwise() {
    TrainerState source = source(spec(2e-4, 4, OPTIONS, null), 4, 1);

    assertThat(ContinuedRun.optimizerDifference(source, spec(2e-4, 4, OPTIONS, null))).isNull();
    assertThat(ContinuedRun.describe(source, null))
        .isEqualTo("continued from step 20 of job source-job, with its optimizer state");

    assertThat(ContinuedRun.optimizerDifference(source, spec(1e-3, 4, OPTIONS, null)))
        .isEqualTo("the learning rate differs (2.0E-4 before, 0.001 now)");
    assertThat(
            ContinuedRun.optimizerDifference(
                source,
                spec(2e-4, 2, TrainingOptions.builder().optGradientAccumulation(2).build(), null)))
        .as("the same effective batch")
        .isNull();
    assertThat(ContinuedRun.optimizerDifference(source, spec(2e-4, 8, OPTIONS, null)))
        .isEqualTo("the effective batch differs (4 before, 8 now)");
    assertThat(
            ContinuedRun.optimizerDifference(
                source, spec(2e-4, 4, TrainingOptions.builder().optWeightDecay(0.1).build(), null)))
        .isEqualTo("the weight decay differs (0.0 before, 0.1 now)");
    assertThat(ContinuedRun.optimizerDifference(source, spec(2e-4, 4, OPTIONS, TrainingSpec.DPO)))
        .isEqualTo("the method differs (lora before, dpo now)");
    assertThat(ContinuedRun.describe(source, "the method differs (lora before, dpo now)"))
        .isEqualTo(
            "continued from step 20 of job source-job, with a fresh optimizer: the method differs"
                + " (lora before, dpo now)");
  }

  private static TrainingSpec spec(
      double learningRate, int batchSize, TrainingOptions options, String method) {
    return new TrainingSpec(
        "source-job",
        "demo",
        new LoraSettings(8, 16, 0.0, List.of("q_proj", "v_proj"), null),
        new Hyperparameters(1, learningRate, batchSize, 512, 42, 0),
        options,
        method);
  }

  private static TrainerState source(TrainingSpec spec, int batchSize, int accumulation) {
    return TrainerState.builder()
        .setStep(20, 20)
        .setPosition(1, 0)
        .setSeed(42, "v1")
        .setBatches(80, batchSize, accumulation)
        .setSchedule(
            LearningRateSchedule.withWarmupRatio(
                LearningRateSchedule.Decay.LINEAR, spec.hyperparameters().learningRate(), 0.1, 20))
        .setTrained(20, 1000)
        .optJob(spec, null, null)
        .build();
  }
}
