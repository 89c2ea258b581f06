package dev.tuneforge.trainingnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import org.jspecify.annotations.Nullable;

/**
 * A frozen projection {@code x W^T (+ bias)}, plus {@code scale * B A dropout(x)} when LoRA targets
 * it, as PEFT's {@code lora.Linear} adds its delta to the base layer's output.
 */
final class LoraLinear {

  private final NDArray weight;
  private final @Nullable NDArray bias;
  private final @Nullable NDArray loraA;
  private final @Nullable NDArray loraB;
  private final float dropout;
  private final double scale;

  LoraLinear(
      NDArray weight,
      @Nullable NDArray bias,
      @Nullable NDArray loraA,
      @Nullable NDArray loraB,
      float dropout,
      double scale) {
    this.weight = weight;
    this.bias = bias;
    this.loraA = loraA;
    this.loraB = loraB;
    this.dropout = dropout;
    this.scale = scale;
  }

  /** The arrays behind this projection, for inference outside the model (KV-cached decoding). */
  InferenceWeights.Projection weights() {
    return new InferenceWeights.Projection(weight, bias, loraA, loraB, scale);
  }

  /**
   * {@code x} must belong to the step's manager: results attach to their first operand's. Without
   * {@code adapter} the projection is the base model's alone.
   */
  NDArray forward(NDArray x, StepScalars scalars, boolean training, boolean adapter) {
    NDArray out =
        (bias == null ? Linear.linear(x, weight) : Linear.linear(x, weight, bias))
            .singletonOrThrow();
    if (!adapter || loraA == null || loraB == null) {
      return out;
    }
    NDArray input =
        training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    NDArray down = Linear.linear(input, loraA).singletonOrThrow();
    NDArray delta = Linear.linear(down, loraB).singletonOrThrow();
    return out.add(delta.mul(scalars.of(scale)));
  }
}
