package dev.tuneforge.trainingnode.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Read access to a {@link LlamaModel}'s arrays for inference paths that live outside the model,
 * such as KV-cached decoding. The arrays belong to the model: use them, never close them.
 */
public record InferenceWeights(
    NDArray embedding, NDArray finalNorm, NDArray lmHead, List<Layer> layers) {

  public InferenceWeights {
    layers = List.copyOf(layers);
  }

  /**
   * One decoder layer: its RMSNorm weights by Hugging Face name ({@code input_layernorm}, {@code
   * self_attn.q_norm} …) and its projections by name ({@code q_proj} …).
   */
  public record Layer(Map<String, NDArray> norms, Map<String, Projection> projections) {

    public Layer {
      norms = Map.copyOf(norms);
      projections = Map.copyOf(projections);
    }
  }

  /** {@code x W^T (+ bias)}, plus {@code scale * B A x} when LoRA targets it (A and B non-null). */
  public record Projection(
      NDArray weight,
      @Nullable NDArray bias,
      @Nullable NDArray loraA,
      @Nullable NDArray loraB,
      double scale) {}
}
