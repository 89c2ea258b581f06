package dev.tuneforge.app.evaluation;

import org.jspecify.annotations.Nullable;

/**
 * One model's headline figures over an evaluation (definitions in docs/evaluation.md). A figure is
 * null where it is undefined: precision when nothing was claimed, the field figures for free-text
 * evaluations, the token figures when the node could not measure them, and the macro figures and
 * key findings of evaluations stored before they existed. JSON validity and object match are 0 for
 * free text.
 */
public record ModelMetrics(
    int examples,
    double jsonValidity,
    double objectMatch,
    @Nullable Double microPrecision,
    @Nullable Double microRecall,
    @Nullable Double microF1,
    double rougeL,
    double textMatch,
    @Nullable Double loss,
    @Nullable Double perplexity,
    @Nullable Double tokenAccuracy,
    @Nullable Double macroPrecision,
    @Nullable Double macroRecall,
    @Nullable Double macroF1,
    @Nullable KeyFindings keys) {}
