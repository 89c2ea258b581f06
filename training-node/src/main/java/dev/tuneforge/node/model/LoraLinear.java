package dev.tuneforge.node.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import org.jspecify.annotations.Nullable;

/** A frozen projection {@code x W^T}, plus {@code scale * B A dropout(x)} when LoRA targets it. */
final class LoraLinear {

  private final NDArray weight;
  private final @Nullable NDArray loraA;
  private final @Nullable NDArray loraB;
  private final float dropout;
  private final double scale;

  LoraLinear(NDArray weight, @Nullable NDArray loraA, @Nullable NDArray loraB, float dropout, double scale) {
    this.weight = weight;
    this.loraA = loraA;
    this.loraB = loraB;
    this.dropout = dropout;
    this.scale = scale;
  }

  /** {@code x} must belong to the step's manager: results attach to their first operand's. */
  NDArray forward(NDArray x, StepScalars scalars, boolean training) {
    NDArray out = Linear.linear(x, weight).singletonOrThrow();
    if (loraA == null || loraB == null) {
      return out;
    }
    NDArray input = training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    NDArray down = Linear.linear(input, loraA).singletonOrThrow();
    NDArray delta = Linear.linear(down, loraB).singletonOrThrow();
    return out.add(delta.mul(scalars.of(scale)));
  }
}
