package dev.tuneforge.trainingnode.train;

import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobFolder;
import java.util.Map;

/**
 * Everything a run needs to continue exactly: its state, the trained weights (the LoRA matrices, or
 * for full fine-tuning every weight, named as {@link
 * dev.tuneforge.trainingnode.model.LlamaModel#trainableParameters()} names them) and the
 * optimiser's moments.
 */
public record TrainingCheckpoint(
    TrainerState state, Map<String, Tensor> weights, AdamW.State optimizer) {

  public TrainingCheckpoint {
    weights = Map.copyOf(weights);
  }

  /** The folder name of this checkpoint under {@code checkpoints/}. */
  public String name() {
    return JobFolder.checkpointName(state.step());
  }
}
