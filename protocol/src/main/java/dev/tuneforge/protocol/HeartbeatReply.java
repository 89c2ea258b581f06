package dev.tuneforge.protocol;

import org.jspecify.annotations.Nullable;

/**
 * The app's answer to a heartbeat. {@code cancelCurrentJob}: the node must kill its current job now
 * (the user cancelled it). {@code stopCurrentJob}: when not null, the node must stop the current
 * job at a checkpoint, writing one after the step in progress, upload it and report a {@code
 * stopped} {@link JobResult}; the text says why (for instance the tenant's monthly budget is spent)
 * and goes into the job's log.
 *
 * <p>{@code servingPolicy}, the admin's policy for generation on this node: {@value #SERVING_OFF}
 * (the node takes no generation requests), {@value #SERVING_WHEN_IDLE} (it takes them only while it
 * runs no training job, so that training gets the memory) or {@value #SERVING_ALWAYS} (beside
 * training). Null or missing: the node's own setting ({@code --serve}) decides. Only a node started
 * to serve polls {@link NodeApi#GENERATIONS} at all.
 */
public record HeartbeatReply(
    boolean cancelCurrentJob, @Nullable String stopCurrentJob, @Nullable String servingPolicy) {

  public static final String SERVING_OFF = "off";
  public static final String SERVING_WHEN_IDLE = "when_idle";
  public static final String SERVING_ALWAYS = "always";

  public HeartbeatReply {
    if (servingPolicy != null
        && !servingPolicy.equals(SERVING_OFF)
        && !servingPolicy.equals(SERVING_WHEN_IDLE)
        && !servingPolicy.equals(SERVING_ALWAYS)) {
      throw new IllegalArgumentException(
          "a serving policy is off, when_idle or always, not \"" + servingPolicy + "\"");
    }
  }

  public HeartbeatReply(boolean cancelCurrentJob, @Nullable String stopCurrentJob) {
    this(cancelCurrentJob, stopCurrentJob, null);
  }

  public HeartbeatReply(boolean cancelCurrentJob) {
    this(cancelCurrentJob, null, null);
  }

  public static HeartbeatReply stop(String reason) {
    return new HeartbeatReply(false, reason, null);
  }
}
