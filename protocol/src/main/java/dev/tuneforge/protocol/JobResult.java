package dev.tuneforge.protocol;

import org.jspecify.annotations.Nullable;

/**
 * How a job ended on the node: {@code succeeded} (its outputs are uploaded) or {@code failed}
 * with a reason a user can act on.
 */
public record JobResult(String status, @Nullable String reason, int steps, long trainedTokens) {

  public static JobResult succeeded(int steps, long trainedTokens) {
    return new JobResult("succeeded", null, steps, trainedTokens);
  }

  public static JobResult failed(String reason, int steps, long trainedTokens) {
    return new JobResult("failed", reason, steps, trainedTokens);
  }
}
