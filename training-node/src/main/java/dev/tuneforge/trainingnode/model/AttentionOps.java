package dev.tuneforge.trainingnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
}
