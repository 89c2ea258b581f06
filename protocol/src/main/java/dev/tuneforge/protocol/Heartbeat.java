package dev.tuneforge.protocol;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Sent every few seconds: the node's state ({@code idle} or {@code busy}) and its current job. */
public record Heartbeat(String state, @Nullable UUID currentJobId) {}
