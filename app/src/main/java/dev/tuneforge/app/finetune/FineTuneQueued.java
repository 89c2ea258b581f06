package dev.tuneforge.app.finetune;

import java.util.UUID;

/** A job entered the queue; dispatch should look for a node now rather than at its next tick. */
public record FineTuneQueued(UUID jobId) {}
