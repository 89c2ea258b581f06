package dev.tuneforge.node.train;

import dev.tuneforge.node.model.TokenBatch;
import java.util.Arrays;
import java.util.List;

/** Right-pads examples to the longest of their batch, as Hugging Face's collators do. */
public final class Batches {

  private Batches() {}

  public static TokenBatch collate(List<EncodedExample> examples, long padId) {
    int length = examples.stream().mapToInt(EncodedExample::length).max().orElseThrow();
    int size = examples.size();
    long[] ids = new long[size * length];
    long[] mask = new long[size * length];
    long[] labels = new long[size * length];
    Arrays.fill(ids, padId);
    Arrays.fill(labels, ChatEncoder.IGNORE);
    for (int b = 0; b < size; b++) {
      EncodedExample example = examples.get(b);
      System.arraycopy(example.inputIds(), 0, ids, b * length, example.length());
      System.arraycopy(example.labels(), 0, labels, b * length, example.length());
      Arrays.fill(mask, b * length, b * length + example.length(), 1L);
    }
    return new TokenBatch(size, length, ids, mask, labels);
  }
}
