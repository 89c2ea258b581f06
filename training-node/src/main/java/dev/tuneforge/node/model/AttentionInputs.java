package dev.tuneforge.node.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Constant inputs of attention built in Java per step: rotary tables and the additive mask. */
final class AttentionInputs {

  private AttentionInputs() {}

  /** cos and sin of shape {@code [1, 1, length, headDim]}, halves duplicated as HF concatenates them. */
  static NDArray[] rotary(NDManager step, int length, int headDim, double[] inverseFrequencies) {
    int half = headDim / 2;
    float[] cos = new float[length * headDim];
    float[] sin = new float[length * headDim];
    for (int i = 0; i < half; i++) {
      float inverseFrequency = (float) inverseFrequencies[i];
      for (int t = 0; t < length; t++) {
        float angle = t * inverseFrequency;
        cos[t * headDim + i] = cos[t * headDim + i + half] = (float) Math.cos(angle);
        sin[t * headDim + i] = sin[t * headDim + i + half] = (float) Math.sin(angle);
      }
    }
    Shape shape = new Shape(1, 1, length, headDim);
    return new NDArray[] {step.create(cos, shape), step.create(sin, shape)};
  }

  /**
   * Additive mask {@code [batch, 1, length, length]}: a query sees earlier real tokens only.
   * A large finite negative, not -inf, so that rows of padding queries stay finite.
   */
  static NDArray mask(NDManager step, TokenBatch batch) {
    int length = batch.length();
    float[] mask = new float[batch.batchSize() * length * length];
    for (int b = 0; b < batch.batchSize(); b++) {
      for (int i = 0; i < length; i++) {
        for (int j = 0; j < length; j++) {
          boolean visible = j <= i && batch.attentionMask()[b * length + j] != 0;
          mask[(b * length + i) * length + j] = visible ? 0f : -1e9f;
        }
      }
    }
    return step.create(mask, new Shape(batch.batchSize(), 1, length, length));
  }
}
