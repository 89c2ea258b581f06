package dev.tuneforge.chat;

/** Token ids and labels (-100 where no loss is taken) of one conversation, already truncated. */
public record EncodedExample(int line, long[] inputIds, long[] labels, boolean truncated) {

  public int length() {
    return inputIds.length;
  }

  /** Labels that survive the one-token shift of causal language modelling. */
  public long trainableTokens() {
    long count = 0;
    for (int i = 1; i < labels.length; i++) {
      if (labels[i] != ChatEncoder.IGNORE) {
        count++;
      }
    }
    return count;
  }
}
