package dev.tuneforge.trainingnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The tensor reshuffles of attention that training ({@link LlamaModel}) and cached decoding share:
 * splitting into heads, Hugging Face's repeat_kv and rotate_half rotary embeddings.
 */
public final class AttentionOps {
  private AttentionOps() {}

  /** {@code [batch, length, heads * headDim]} to {@code [batch, heads, length, headDim]}. */
  public static NDArray heads(NDArray x, int batchSize, int length, int heads, int headDim) {
    return x.reshape(batchSize, length, heads, headDim).transpose(0, 2, 1, 3);
  }

  /** Hugging Face's repeat_kv: query head h reads key/value head h / groups. */
  public static NDArray repeatKv(NDArray x, int groups) {
    if (groups == 1) {
      return x;
    }
    Shape shape = x.getShape();
    return x.expandDims(2)
        .broadcast(shape.get(0), shape.get(1), groups, shape.get(2), shape.get(3))
        .reshape(shape.get(0), shape.get(1) * groups, shape.get(2), shape.get(3));
  }

  /** Rotary embedding in the rotate_half convention; {@code rotary} is {cos, sin}. */
  public static NDArray rotate(NDArray x, NDArray[] rotary) {
    NDList halves = x.split(2, 3);
    NDArray rotated = NDArrays.concat(new NDList(halves.get(1).neg(), halves.get(0)), 3);
    return x.mul(rotary[0]).add(rotated.mul(rotary[1]));
  }

  /**
   * cos and sin {@code [batch, 1, new, headDim]} at each token's own position ({@code
   * [batch][new]}), halves duplicated as Hugging Face does, for decoding paths that place every row
   * at its own position.
   */
  public static NDArray[] rotaryTables(
      NDManager manager, int[][] positions, double[] inverseFrequencies, int headDim) {
    int batchSize = positions.length;
    int count = positions[0].length;
    int half = headDim / 2;
    float[] cos = new float[batchSize * count * headDim];
    float[] sin = new float[cos.length];
    for (int b = 0; b < batchSize; b++) {
      for (int t = 0; t < count; t++) {
        int at = (b * count + t) * headDim;
        for (int i = 0; i < half; i++) {
          // In float, as the model's own rotary tables compute the angle.
          float angle = positions[b][t] * (float) inverseFrequencies[i];
          cos[at + i] = cos[at + i + half] = (float) Math.cos(angle);
          sin[at + i] = sin[at + i + half] = (float) Math.sin(angle);
        }
      }
    }
    Shape shape = new Shape(batchSize, 1, count, headDim);
    return new NDArray[] {manager.create(cos, shape), manager.create(sin, shape)};
  }
}
