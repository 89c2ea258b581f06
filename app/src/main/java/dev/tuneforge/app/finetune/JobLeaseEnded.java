package dev.tuneforge.app.finetune;

import java.time.Instant;
import java.util.UUID;

/**
 * A node no longer holds the job: it reported a result (succeeded, failed, cancelled, stopped) or
 * went silent and the job went back to the queue. {@code trainedTokens} is the job's total so far,
 * so that metering can tell what this stretch on the node trained.
 */
public record JobLeaseEnded(UUID jobId, UUID nodeId, long trainedTokens, Instant at) {}
