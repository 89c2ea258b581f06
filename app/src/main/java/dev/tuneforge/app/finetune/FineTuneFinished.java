package dev.tuneforge.app.finetune;

import java.util.UUID;

/**
 * A job reached its node's final word ({@code succeeded}, {@code failed}, ...). Published in the
 * transaction that saves it.
 */
public record FineTuneFinished(UUID tenantId, UUID jobId, JobStatus status) {}
