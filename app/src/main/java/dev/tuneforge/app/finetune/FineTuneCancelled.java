package dev.tuneforge.app.finetune;

import java.util.UUID;

/** A user cancelled a fine-tune that had not finished. */
public record FineTuneCancelled(UUID tenantId, UUID jobId, String label) {}
