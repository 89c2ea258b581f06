package dev.tuneforge.app.synthetic;

import java.util.UUID;

/** A generation job of {@code tenantId} changed state or made progress. */
public record GenerationProgressed(UUID tenantId, UUID jobId) {}
