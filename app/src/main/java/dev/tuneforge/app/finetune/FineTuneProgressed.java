package dev.tuneforge.app.finetune;

import java.util.UUID;

/**
 * Something about a job changed: status, metrics or log. Published in the transaction that saves
 * it.
 */
public record FineTuneProgressed(UUID tenantId, UUID jobId) {}
