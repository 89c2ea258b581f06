package dev.tuneforge.app.export;

import java.util.UUID;

/** A merge waits for a training node; dispatch should look now rather than at its next tick. */
public record MergedExportQueued(UUID mergeId) {}
