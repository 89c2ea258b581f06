package dev.tuneforge.app.evaluation;

import java.util.UUID;

/**
 * A fine-tune's evaluation is stored: scored ({@code succeeded}), or failed with its reason.
 * Published in the transaction that stores it.
 */
public record EvaluationReady(UUID tenantId, UUID jobId, boolean succeeded) {}
