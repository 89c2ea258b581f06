package dev.tuneforge.protocol;

import org.jspecify.annotations.Nullable;

/**
 * How a job ended on the node: {@code succeeded} (its outputs are uploaded), {@code failed} with
 * a reason a user can act on, or {@code stopped}: halted on the app's request (see {@link
 * HeartbeatReply#stopCurrentJob()}) after its checkpoint at {@code steps} reached storage, so it
 * can resume from there; {@code reason} repeats the app's.
 */
public record JobResult(String status, @Nullable String reason, int steps, long trainedTokens) {

  public static JobResult succeeded(int steps, long trainedTokens) {
    return new JobResult("succeeded", null, steps, trainedTokens);
  }

  public static JobResult failed(String reason, int steps, long trainedTokens) {
    return new JobResult("failed", reason, steps, trainedTokens);
  }

  public static JobResult stopped(String reason, int steps, long trainedTokens) {
    return new JobResult("stopped", reason, steps, trainedTokens);
  }
}
