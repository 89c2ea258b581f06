package dev.tuneforge.trainingnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import dev.tuneforge.trainingnode.quant.Nf4Tensor;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A frozen projection {@code x W^T (+ bias)}, plus {@code scale * B A dropout(x)} when LoRA targets
 * it, as PEFT's {@code lora.Linear} adds its delta to the base layer's output. The frozen {@code W}
 * is an fp32 array, or for QLoRA an NF4 tensor dequantised to fp32 in each forward pass, as
 * bitsandbytes' {@code Linear4bit} does; gradients reach only A and B either way.
 */
final class LoraLinear {

  private final @Nullable NDArray weight;
  private final @Nullable Nf4Tensor quantized;
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
    this(weight, null, bias, loraA, loraB, dropout, scale);
  }

  /** A projection whose frozen weight is kept in NF4. */
  LoraLinear(
      Nf4Tensor quantized,
      @Nullable NDArray bias,
      @Nullable NDArray loraA,
      @Nullable NDArray loraB,
      float dropout,
      double scale) {
    this(null, quantized, bias, loraA, loraB, dropout, scale);
  }

  private LoraLinear(
      @Nullable NDArray weight,
      @Nullable Nf4Tensor quantized,
      @Nullable NDArray bias,
      @Nullable NDArray loraA,
      @Nullable NDArray loraB,
      float dropout,
      double scale) {
    this.weight = weight;
    this.quantized = quantized;
    this.bias = bias;
    this.loraA = loraA;
    this.loraB = loraB;
    this.dropout = dropout;
    this.scale = scale;
  }

  /**
   * The arrays behind this projection, for inference outside the model (KV-cached decoding); an NF4
   * weight is dequantised into {@code manager}.
   */
  InferenceWeights.Projection weights(NDManager manager) {
    return new InferenceWeights.Projection(weight(manager), bias, loraA, loraB, scale);
  }

  /** The fp32 weight: the resident array, or the NF4 one dequantised into {@code manager}. */
  private NDArray weight(NDManager manager) {
    if (weight != null) {
      return weight;
    }
    Nf4Tensor nf4 = Objects.requireNonNull(quantized);
    return manager.create(nf4.dequantize(), new Shape(nf4.shape()));
  }

  /**
   * {@code x} must belong to the step's manager: results attach to their first operand's. Without
   * {@code adapter} the projection is the base model's alone.
   */
  NDArray forward(NDArray x, StepScalars scalars, boolean training, boolean adapter) {
    NDArray w = weight(x.getManager());
    NDArray out =
        (bias == null ? Linear.linear(x, w) : Linear.linear(x, w, bias)).singletonOrThrow();
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
