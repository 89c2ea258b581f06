package dev.tuneforge.app.export;

import java.time.Instant;
import java.util.UUID;

/**
 * A node's lease on the merge of {@code jobId} ended at {@code at}: it reported a result, or it
 * stopped answering and the merge went back to the queue. Metering closes the merge's segment.
 */
public record MergeLeaseEnded(UUID jobId, Instant at) {}
