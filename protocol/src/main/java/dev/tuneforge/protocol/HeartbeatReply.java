package dev.tuneforge.protocol;

import org.jspecify.annotations.Nullable;

/**
 * The app's answer to a heartbeat. {@code cancelCurrentJob}: the node must kill its current job now
 * (the user cancelled it). {@code stopCurrentJob}: when not null, the node must stop the current
 * job at a checkpoint, writing one after the step in progress, upload it and report a {@code
 * stopped} {@link JobResult}; the text says why (for instance the tenant's monthly budget is spent)
 * and goes into the job's log.
 */
public record HeartbeatReply(boolean cancelCurrentJob, @Nullable String stopCurrentJob) {

  public HeartbeatReply(boolean cancelCurrentJob) {
    this(cancelCurrentJob, null);
  }

  public static HeartbeatReply stop(String reason) {
    return new HeartbeatReply(false, reason);
  }
}
