package dev.tuneforge.trainingnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Constant inputs of attention built in Java per step: rotary tables and the additive mask. */
final class AttentionInputs {

  private AttentionInputs() {}

  /**
   * cos and sin of shape {@code [1, 1, length, headDim]}, halves duplicated as HF concatenates
   * them.
   */
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
   * cos and sin of shape {@code [batch, 1, length, headDim]} at the batch's position ids, for
   * packed rows whose positions restart at 0 per example.
   */
  static NDArray[] rotary(
      NDManager step, TokenBatch batch, int headDim, double[] inverseFrequencies) {
    int half = headDim / 2;
    int rows = batch.batchSize();
    int length = batch.length();
    float[] cos = new float[rows * length * headDim];
    float[] sin = new float[rows * length * headDim];
    for (int b = 0; b < rows; b++) {
      for (int t = 0; t < length; t++) {
        long position = batch.position(b, t);
        int offset = (b * length + t) * headDim;
        for (int i = 0; i < half; i++) {
          float angle = position * (float) inverseFrequencies[i];
          cos[offset + i] = cos[offset + i + half] = (float) Math.cos(angle);
          sin[offset + i] = sin[offset + i + half] = (float) Math.sin(angle);
        }
      }
    }
    Shape shape = new Shape(rows, 1, length, headDim);
    return new NDArray[] {step.create(cos, shape), step.create(sin, shape)};
  }

  /**
   * Additive mask {@code [batch, 1, length, length]}: a query sees earlier real tokens of its own
   * example only (block-diagonal causal in a packed row, where a position 0 starts an example), and
   * with a {@code window} above 0 only the last {@code window} of them, itself included, as Hugging
   * Face's sliding-window layers do. A large finite negative, not -inf, so that rows of padding
   * queries stay finite.
   */
  static NDArray mask(NDManager step, TokenBatch batch, int window) {
    int length = batch.length();
    float[] mask = new float[batch.batchSize() * length * length];
    int[] example = new int[length];
    for (int b = 0; b < batch.batchSize(); b++) {
      for (int t = 0, current = 0; t < length; t++) {
        if (t > 0 && batch.position(b, t) == 0) {
          current++;
        }
        example[t] = current;
      }
      for (int i = 0; i < length; i++) {
        for (int j = 0; j < length; j++) {
          boolean visible =
              j <= i
                  && (window == 0 || i - j < window)
                  && batch.attentionMask()[b * length + j] != 0
                  && example[j] == example[i];
          mask[(b * length + i) * length + j] = visible ? 0f : -1e9f;
        }
      }
    }
    return step.create(mask, new Shape(batch.batchSize(), 1, length, length));
  }
}
