package dev.tuneforge.protocol;

/**
 * Training hyperparameters. {@code maxSteps} of 0 means "as many as the epochs take"; a positive
 * value stops the run earlier.
 */
public record Hyperparameters(
    int epochs,
    double learningRate,
    int batchSize,
    int maxSequenceLength,
    long seed,
    int maxSteps) {}
