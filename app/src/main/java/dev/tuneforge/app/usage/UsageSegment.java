package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A job starting on a node, as the node feature knows it: whose job, which node, the node's price
 * at that moment, and the job's trained tokens so far (non-zero when it resumes).
 */
public record UsageSegment(
    UUID tenantId,
    UUID jobId,
    String jobName,
    UUID userId,
    UUID baseModelId,
    UUID nodeId,
    String nodeName,
    String nodeClass,
    BigDecimal pricePerGpuHour,
    long tokensAtStart,
    Instant at) {}
