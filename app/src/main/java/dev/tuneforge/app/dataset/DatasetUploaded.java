package dev.tuneforge.app.dataset;

import java.util.UUID;

/** A user's file was accepted and stored as a new dataset version. */
public record DatasetUploaded(
    UUID tenantId, UUID versionId, String name, int version, String fileName) {}
