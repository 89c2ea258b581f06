package dev.tuneforge.app.catalog;

import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.memory.MemoryEstimate;
import dev.tuneforge.modelformat.memory.MemoryEstimate.Method;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The memory each training method needs for a model at a sequence length and batch, and the
 * registered nodes it fits on. LoRA is taken at the form's defaults (r 8 on q_proj and v_proj).
 */
public final class ModelMemory {
  static final int LORA_RANK = 8;
  static final List<String> LORA_TARGETS = List.of("q_proj", "v_proj");

  private ModelMemory() {}

  /** One method's estimate and the nodes whose memory holds it. */
  public record Need(Method method, MemoryEstimate estimate, List<String> nodesThatFit) {}

  /** The needs of LoRA and full fine-tuning, or an empty list for a model without its config. */
  public static List<Need> of(
      BaseModel model, int sequenceLength, int batch, List<NodeCapacities.NodeCapacity> nodes) {
    @Nullable String config = model.getConfigJson();
    if (config == null) {
      return List.of();
    }
    ModelConfig parsed = ModelConfig.parse(config);
    List<Need> needs = new ArrayList<>();
    for (Method method : Method.values()) {
      MemoryEstimate estimate =
          MemoryEstimate.of(
              parsed,
              model.getParameters(),
              new MemoryEstimate.Job(method, batch, sequenceLength, LORA_RANK, LORA_TARGETS, 4));
      needs.add(
          new Need(
              method,
              estimate,
              nodes.stream()
                  .filter(n -> n.memoryBytes() >= estimate.total())
                  .map(NodeCapacities.NodeCapacity::name)
                  .toList()));
    }
    return needs;
  }
}
