package dev.tuneforge.trainingnode.generate;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One generated continuation.
 *
 * @param text the new tokens decoded without special tokens (so without the end-of-sequence token)
 * @param tokenIds the new tokens, including the end-of-sequence token when it stopped there
 * @param promptTokens how many tokens the prompt had
 * @param firstTokenSeconds from the call to its first new token: the prompt's prefill (with the
 *     other prompts of its batch) and one sampling step
 * @param decodeSeconds from the first new token to the last, one forward pass per token after the
 *     first; the timings are left out of {@link #equals}
 */
public record GenerationResult(
    String text,
    long[] tokenIds,
    StopReason stopReason,
    int promptTokens,
    double firstTokenSeconds,
    double decodeSeconds) {

  public GenerationResult {
    tokenIds = tokenIds.clone();
  }

  @Override
  public long[] tokenIds() {
    return tokenIds.clone();
  }

  /**
   * New tokens per second after the first (which {@link #firstTokenSeconds} covers); null with
   * fewer than two tokens, when no decoding step was timed.
   */
  public @Nullable Double decodeTokensPerSecond() {
    return tokenIds.length < 2 || decodeSeconds <= 0 ? null : (tokenIds.length - 1) / decodeSeconds;
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
