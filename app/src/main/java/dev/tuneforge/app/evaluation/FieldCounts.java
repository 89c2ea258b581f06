package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.FieldComparison;
import org.jspecify.annotations.Nullable;

/**
 * True positives, false positives and false negatives over a set of fields, and the precision,
 * recall and F1 they give. A ratio whose denominator is 0 is undefined (null), never a guess:
 * precision when nothing was claimed, recall when nothing was expected, F1 when neither.
 */
public record FieldCounts(int truePositives, int falsePositives, int falseNegatives) {
  public static final FieldCounts ZERO = new FieldCounts(0, 0, 0);

  /** What one key path of one answer counts as. */
  public static FieldCounts of(FieldComparison.Outcome outcome) {
    FieldComparison.Status status = outcome.status();
    return new FieldCounts(status.truePositives, status.falsePositives, status.falseNegatives);
  }

  public FieldCounts plus(FieldCounts other) {
    return new FieldCounts(
        truePositives + other.truePositives,
        falsePositives + other.falsePositives,
        falseNegatives + other.falseNegatives);
  }

  /** TP / (TP + FP); null when nothing was claimed. */
  public @Nullable Double precision() {
    return ratio(truePositives, truePositives + falsePositives);
  }

  /** TP / (TP + FN); null when nothing was expected (no support). */
  public @Nullable Double recall() {
    return ratio(truePositives, truePositives + falseNegatives);
  }

  /**
   * 2TP / (2TP + FP + FN): the harmonic mean of precision and recall, defined even when one of them
   * is not; null only when nothing was expected nor claimed.
   */
  public @Nullable Double f1() {
    return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
  }

  private static @Nullable Double ratio(int part, int whole) {
    return whole == 0 ? null : (double) part / whole;
  }
}
