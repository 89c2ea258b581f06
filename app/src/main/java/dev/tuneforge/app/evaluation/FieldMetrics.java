package dev.tuneforge.app.evaluation;

/**
 * One key path over an evaluation, for the base and the tuned model; {@code support}: examples
 * expecting it.
 */
public record FieldMetrics(String path, int support, FieldScore base, FieldScore tuned) {

  /**
   * Match rates over the examples that expect the field; precision, recall and F1 over its counts.
   */
  public record FieldScore(
      double exactMatch,
      double normalisedMatch,
      double precision,
      double recall,
      double f1,
      int truePositives,
      int falsePositives,
      int falseNegatives) {

    static FieldScore of(FieldStats stats) {
      FieldCounts c = stats.counts();
      return new FieldScore(
          stats.exactMatchRate(),
          stats.normalisedMatchRate(),
          c.precision(),
          c.recall(),
          c.f1(),
          c.truePositives(),
          c.falsePositives(),
          c.falseNegatives());
    }
  }

  public double f1Delta() {
    return tuned.f1() - base.f1();
  }
}
