package dev.tuneforge.app.finetune;

import java.util.UUID;

/** A user launched a fine-tune (in the browser or through the API); published once it is saved. */
public record FineTuneLaunched(UUID tenantId, UUID jobId, String label) {}
