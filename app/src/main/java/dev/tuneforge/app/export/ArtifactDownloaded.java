package dev.tuneforge.app.export;

import java.util.UUID;

/** A user downloaded a fine-tune's adapter, model or one of its files. */
public record ArtifactDownloaded(UUID tenantId, UUID jobId, String file) {}
