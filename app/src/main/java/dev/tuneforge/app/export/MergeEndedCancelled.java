package dev.tuneforge.app.export;

import java.util.UUID;

/**
 * The merge of {@code jobId} ended cancelled: once that is committed, whatever its node uploaded
 * under the job's {@code merged/} folder is removed.
 */
record MergeEndedCancelled(UUID tenantId, UUID jobId) {}
