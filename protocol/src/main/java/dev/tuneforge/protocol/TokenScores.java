package dev.tuneforge.protocol;

/**
 * Teacher-forced figures of one model over the evaluation set's assistant tokens: mean
 * cross-entropy {@code loss} (weighted like training), {@code perplexity} = exp(loss), and {@code
 * tokenAccuracy}, the share of assistant tokens that are the model's arg-max prediction, over
 * {@code tokens} assistant tokens.
 */
public record TokenScores(double loss, double perplexity, double tokenAccuracy, long tokens) {}
