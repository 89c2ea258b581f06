package dev.tuneforge.trainingnode.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The keys and values (after rotary embedding, before grouped-query repetition) of every layer for
 * the tokens a batch has seen so far, which of those tokens are real rather than left padding, and
 * the rotary position of each row's next token. Owns its arrays: one per decoding.
 */
final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final @Nullable NDArray[] keys;
  private final @Nullable NDArray[] values;
  private final int batchSize;
  private final int[] nextPosition;
  private boolean[][] real;
  private int length;

  KvCache(NDManager parent, int layers, int batchSize) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.batchSize = batchSize;
    this.nextPosition = new int[batchSize];
    this.real = new boolean[batchSize][16];
  }

  int batchSize() {
    return batchSize;
  }

  /** Tokens cached per row, padding included. */
  int length() {
    return length;
  }

  /** Real tokens in row {@code b}, which is also the rotary position of its next token. */
  int realTokens(int b) {
    return nextPosition[b];
  }

  boolean isReal(int b, int index) {
    return real[b][index];
  }

  /**
   * Records which of the next {@code count} tokens of each row are real and returns their rotary
   * positions {@code [batch][count]}: a row counts only its real tokens, as Hugging Face derives
   * position ids from the attention mask. Called once per forward, before {@link #append}.
   */
  int[][] admit(boolean[][] realNew, int count) {
    if (length + count > real[0].length) {
      int capacity = Math.max(2 * real[0].length, length + count);
      for (int b = 0; b < batchSize; b++) {
        real[b] = Arrays.copyOf(real[b], capacity);
      }
    }
    int[][] positions = new int[batchSize][count];
    for (int b = 0; b < batchSize; b++) {
      for (int t = 0; t < count; t++) {
        real[b][length + t] = realNew[b][t];
        positions[b][t] = nextPosition[b];
        if (realNew[b][t]) {
          nextPosition[b]++;
        }
      }
    }
    length += count;
    return positions;
  }

  /**
   * Appends one layer's new keys and values {@code [batch, kvHeads, new, headDim]}; returns the
   * whole of both.
   */
  NDArray[] append(int layer, NDArray newKeys, NDArray newValues) {
    keys[layer] = extend(keys[layer], newKeys);
    values[layer] = extend(values[layer], newValues);
    return new NDArray[] {keys[layer], values[layer]};
  }

  private NDArray extend(@Nullable NDArray cached, NDArray added) {
    NDArray whole =
        cached == null ? added.duplicate() : NDArrays.concat(new NDList(cached, added), 2);
    whole.attach(manager);
    if (cached != null) {
      cached.close();
    }
    return whole;
  }

  @Override
  public void close() {
    manager.close();
  }
}
