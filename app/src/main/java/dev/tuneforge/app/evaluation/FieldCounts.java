package dev.tuneforge.app.evaluation;

/**
 * True positives, false positives and false negatives over a set of fields, and the precision,
 * recall and F1 they give. A ratio with nothing to count is 1.0 when there were no errors either.
 */
public record FieldCounts(int truePositives, int falsePositives, int falseNegatives) {
  public static final FieldCounts ZERO = new FieldCounts(0, 0, 0);

  public FieldCounts plus(FieldCounts other) {
    return new FieldCounts(
        truePositives + other.truePositives,
        falsePositives + other.falsePositives,
        falseNegatives + other.falseNegatives);
  }

  public double precision() {
    return ratio(truePositives, truePositives + falsePositives);
  }

  public double recall() {
    return ratio(truePositives, truePositives + falseNegatives);
  }

  /**
   * 2TP / (2TP + FP + FN): the harmonic mean of precision and recall, defined even when one is 0/0.
   */
  public double f1() {
    return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
  }

  private double ratio(int part, int whole) {
    if (whole > 0) {
      return (double) part / whole;
    }
    return truePositives + falsePositives + falseNegatives == 0 ? 1.0 : 0.0;
  }
}
