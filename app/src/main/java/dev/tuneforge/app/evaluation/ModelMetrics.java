package dev.tuneforge.app.evaluation;

import org.jspecify.annotations.Nullable;

/**
 * One model's headline figures over an evaluation (definitions in docs/evaluation.md). The
 * extraction figures are 0 for free-text evaluations; the token figures are null when the node
 * could not measure them.
 */
public record ModelMetrics(
    int examples,
    double jsonValidity,
    double objectMatch,
    double microPrecision,
    double microRecall,
    double microF1,
    double rougeL,
    double textMatch,
    @Nullable Double loss,
    @Nullable Double perplexity,
    @Nullable Double tokenAccuracy) {}
