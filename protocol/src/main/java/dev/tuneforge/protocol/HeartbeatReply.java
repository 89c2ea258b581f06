package dev.tuneforge.protocol;

/** The app's answer to a heartbeat: whether the node must stop its current job (cancelled). */
public record HeartbeatReply(boolean cancelCurrentJob) {}
