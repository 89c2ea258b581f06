package dev.tuneforge.trainingnode.model;

import org.jspecify.annotations.Nullable;

/**
 * A right-padded batch in row-major {@code [batchSize, length]} arrays: token ids, an attention
 * mask (1 for real tokens) and labels aligned with the inputs (-100 where no loss is taken), as
 * Hugging Face passes them; the model shifts labels itself.
 *
 * <p>{@code positionIds} is null for one example per row (positions 0, 1, 2, ...). A packed row
 * holds several examples one after another, each with positions restarting at 0; a position 0
 * starts a new example, and a token attends only to earlier tokens of its own example.
 */
public record TokenBatch(
    int batchSize,
    int length,
    long[] inputIds,
    long[] attentionMask,
    long[] labels,
    long @Nullable [] positionIds) {

  public static final long IGNORE = -100;

  public TokenBatch {
    int size = batchSize * length;
    if (inputIds.length != size
        || attentionMask.length != size
        || labels.length != size
        || (positionIds != null && positionIds.length != size)) {
      throw new IllegalArgumentException(
          "arrays must hold batchSize * length = " + size + " values");
    }
  }

  /** One example per row. */
  public TokenBatch(
      int batchSize, int length, long[] inputIds, long[] attentionMask, long[] labels) {
    this(batchSize, length, inputIds, attentionMask, labels, null);
  }

  /** The position of token {@code t} of row {@code b}. */
  public long position(int b, int t) {
    return positionIds == null ? t : positionIds[b * length + t];
  }

  /** Tokens that take part in the loss: those whose next token carries a label. */
  public long trainableTokens() {
    long count = 0;
    for (int b = 0; b < batchSize; b++) {
      for (int t = 1; t < length; t++) {
        if (labels[b * length + t] != IGNORE) {
          count++;
        }
      }
    }
    return count;
  }

  public long realTokens() {
    long count = 0;
    for (long m : attentionMask) {
      count += m;
    }
    return count;
  }
}
