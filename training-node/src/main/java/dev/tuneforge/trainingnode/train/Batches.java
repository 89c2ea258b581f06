package dev.tuneforge.trainingnode.train;

import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.trainingnode.model.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Right-pads examples to the longest of their batch, as Hugging Face's collators do, or packs
 * several examples into each row.
 */
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

  /**
   * Packs {@code examples} into rows of at most {@code rowLength} tokens, first fit in the given
   * order (so the packing is as deterministic as that order), and groups the rows into batches of
   * {@code rowsPerBatch}, each right-padded to its longest row. Positions restart at 0 with every
   * example, which confines its attention to itself (see {@link TokenBatch}), and each example's
   * first label is dropped, as unpacked training never predicts it: every example keeps exactly the
   * labelled tokens and the loss of its unpacked self.
   */
  public static List<TokenBatch> pack(
      List<EncodedExample> examples, int rowLength, int rowsPerBatch, long padId) {
    List<List<EncodedExample>> rows = new ArrayList<>();
    List<Integer> used = new ArrayList<>();
    for (EncodedExample example : examples) {
      if (example.length() > rowLength) {
        throw new IllegalArgumentException(
            "example of line "
                + example.line()
                + " has "
                + example.length()
                + " tokens, more than a row's "
                + rowLength);
      }
      int row = 0;
      while (row < rows.size() && used.get(row) + example.length() > rowLength) {
        row++;
      }
      if (row == rows.size()) {
        rows.add(new ArrayList<>());
        used.add(0);
      }
      rows.get(row).add(example);
      used.set(row, used.get(row) + example.length());
    }
    List<TokenBatch> batches = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += rowsPerBatch) {
      List<List<EncodedExample>> group =
          rows.subList(from, Math.min(from + rowsPerBatch, rows.size()));
      int length =
          used.subList(from, from + group.size()).stream()
              .mapToInt(Integer::intValue)
              .max()
              .orElseThrow();
      int size = group.size();
      long[] ids = new long[size * length];
      long[] mask = new long[size * length];
      long[] labels = new long[size * length];
      long[] positions = new long[size * length];
      Arrays.fill(ids, padId);
      Arrays.fill(labels, ChatEncoder.IGNORE);
      for (int b = 0; b < size; b++) {
        int offset = b * length;
        for (EncodedExample example : group.get(b)) {
          System.arraycopy(example.inputIds(), 0, ids, offset, example.length());
          System.arraycopy(example.labels(), 0, labels, offset, example.length());
          labels[offset] = ChatEncoder.IGNORE;
          Arrays.fill(mask, offset, offset + example.length(), 1L);
          for (int t = 0; t < example.length(); t++) {
            positions[offset + t] = t;
          }
          offset += example.length();
        }
        // Padding continues the last example's positions; it is masked out either way.
        for (int t = offset, next = offset == b * length ? 0 : (int) positions[offset - 1] + 1;
            t < (b + 1) * length;
            t++) {
          positions[t] = next++;
        }
      }
      batches.add(new TokenBatch(size, length, ids, mask, labels, positions));
    }
    return batches;
  }
}
