package dev.tuneforge.trainingnode.generate;

import java.util.Arrays;

/**
 * One generated continuation.
 *
 * @param text the new tokens decoded without special tokens (so without the end-of-sequence token)
 * @param tokenIds the new tokens, including the end-of-sequence token when it stopped there
 * @param promptTokens how many tokens the prompt had
 */
public record GenerationResult(
    String text, long[] tokenIds, StopReason stopReason, int promptTokens) {

  public GenerationResult {
    tokenIds = tokenIds.clone();
  }

  @Override
  public long[] tokenIds() {
    return tokenIds.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GenerationResult r
        && text.equals(r.text)
        && Arrays.equals(tokenIds, r.tokenIds)
        && stopReason == r.stopReason
        && promptTokens == r.promptTokens;
  }

  @Override
  public int hashCode() {
    return (text.hashCode() * 31 + Arrays.hashCode(tokenIds)) * 31 + stopReason.hashCode();
  }

  @Override
  public String toString() {
    return "GenerationResult[" + stopReason + ", " + tokenIds.length + " tokens: " + text + "]";
  }
}
