package dev.tuneforge.node.train;

import dev.tuneforge.node.safetensors.Tensor;
import java.util.Map;

/**
 * Everything a run needs to continue exactly: its state, the LoRA matrices (named as {@link
 * dev.tuneforge.node.model.LlamaModel#loraParameters()} names them) and the optimiser's moments.
 */
public record TrainingCheckpoint(TrainerState state, Map<String, Tensor> lora, AdamW.State optimizer) {

  public TrainingCheckpoint {
    lora = Map.copyOf(lora);
  }

  /** The folder name of this checkpoint under {@code checkpoints/}. */
  public String name() {
    return "step-" + state.step();
  }
}
