package dev.tuneforge.app.dataset;

import java.util.UUID;

/** A user deleted a dataset version and its files. */
public record DatasetVersionDeleted(UUID tenantId, UUID versionId, String name, int version) {}
