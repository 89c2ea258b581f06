package dev.tuneforge.app.export;

import java.util.UUID;

/**
 * A user cancelled the merged export of the fine-tune {@code jobId} ({@code label}); {@code detail}
 * says whether it ended at once or its node was asked to stop.
 */
public record MergedExportCancelled(UUID tenantId, UUID jobId, String label, String detail) {}
