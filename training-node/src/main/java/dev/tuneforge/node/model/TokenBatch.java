package dev.tuneforge.node.model;

/**
 * A right-padded batch in row-major {@code [batchSize, length]} arrays: token ids, an attention
 * mask (1 for real tokens) and labels aligned with the inputs (-100 where no loss is taken), as
 * Hugging Face passes them; the model shifts labels itself.
 */
public record TokenBatch(int batchSize, int length, long[] inputIds, long[] attentionMask, long[] labels) {

  public static final long IGNORE = -100;

  public TokenBatch {
    int size = batchSize * length;
    if (inputIds.length != size || attentionMask.length != size || labels.length != size) {
      throw new IllegalArgumentException("arrays must hold batchSize * length = " + size + " values");
    }
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
