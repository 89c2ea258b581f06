package dev.tuneforge.app.dataset.tokens;

import java.util.UUID;

/** A token-length count of a version moved on: queued, counted some rows, finished. */
public record TokenLengthsProgressed(UUID tenantId, UUID versionId) {}
