package dev.tuneforge.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * How a job ended on the node, its {@link Status}; {@code reason} says why it failed or stopped,
 * {@code steps} and {@code trainedTokens} how far it got.
 */
public record JobResult(Status status, @Nullable String reason, int steps, long trainedTokens) {

  /** On the wire in lower case ({@code succeeded}, {@code failed}, {@code stopped}). */
  public enum Status {
    /** The job's outputs are uploaded. */
    SUCCEEDED,
    /** With a reason a user can act on. */
    FAILED,
    /**
     * Halted on the app's request (see {@link HeartbeatReply#stopCurrentJob()}) after its
     * checkpoint at {@code steps} reached storage, so it can resume from there; the reason repeats
     * the app's.
     */
    STOPPED;

    @JsonValue
    public String wire() {
      return WireNames.of(this);
    }

    /**
     * The status spelled {@code name} on the wire; an unknown one is refused with the known ones.
     */
    @JsonCreator
    public static Status fromWire(String name) {
      return WireNames.parse(values(), name, "job result status");
    }
  }

  public static JobResult succeeded(int steps, long trainedTokens) {
    return new JobResult(Status.SUCCEEDED, null, steps, trainedTokens);
  }

  public static JobResult failed(String reason, int steps, long trainedTokens) {
    return new JobResult(Status.FAILED, reason, steps, trainedTokens);
  }

  public static JobResult stopped(String reason, int steps, long trainedTokens) {
    return new JobResult(Status.STOPPED, reason, steps, trainedTokens);
  }
}
