package dev.tuneforge.app.evaluation;

import java.util.List;

/**
 * Token-level figures from a validation pass: perplexity from losses and accuracy of predicted
 * token ids, with positions labelled {@value #IGNORE_INDEX} left out as the trainers do.
 */
public final class TokenMetrics {
  /** The label of positions that carry no loss (prompt, padding). */
  public static final int IGNORE_INDEX = -100;

  private TokenMetrics() {}

  /**
   * exp of the mean of cross-entropy losses in nats. Pass per-token losses, or per-batch means only
   * when batches hold the same number of labelled tokens.
   */
  public static double perplexity(List<Double> losses) {
    if (losses.isEmpty()) {
      throw new IllegalArgumentException("no losses to average");
    }
    double sum = 0;
    for (double loss : losses) {
      if (!Double.isFinite(loss) || loss < 0) {
        throw new IllegalArgumentException("loss must be finite and not negative: " + loss);
      }
      sum += loss;
    }
    return Math.exp(sum / losses.size());
  }

  /** Share of labelled positions where the predicted id equals the expected id. */
  public static double tokenAccuracy(int[] predicted, int[] expected) {
    if (predicted.length != expected.length) {
      throw new IllegalArgumentException(
          "predicted and expected differ in length: "
              + predicted.length
              + " and "
              + expected.length);
    }
    int counted = 0;
    int correct = 0;
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] != IGNORE_INDEX) {
        counted++;
        correct += predicted[i] == expected[i] ? 1 : 0;
      }
    }
    if (counted == 0) {
      throw new IllegalArgumentException("no labelled positions");
    }
    return (double) correct / counted;
  }
}
