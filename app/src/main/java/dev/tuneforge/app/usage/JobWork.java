package dev.tuneforge.app.usage;

import java.util.UUID;

/**
 * How much training a job asks for: its dataset version and passes over it, and what it already
 * trained.
 */
public record JobWork(
    UUID datasetVersionId, int epochs, int maxSteps, int batchSize, long trainedTokens) {}
