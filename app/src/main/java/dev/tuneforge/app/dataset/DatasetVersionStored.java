package dev.tuneforge.app.dataset;

import java.util.UUID;

/** A new dataset version is stored (uploaded, generated or derived) and committed. */
public record DatasetVersionStored(UUID tenantId, UUID versionId) {}
