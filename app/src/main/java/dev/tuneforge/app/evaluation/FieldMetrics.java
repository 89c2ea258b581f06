package dev.tuneforge.app.evaluation;

import org.jspecify.annotations.Nullable;

/**
 * One expected key path over an evaluation, for the base and the tuned model; {@code support}:
 * examples expecting it. Keys no expected answer has are not fields (see {@link KeyFindings}).
 */
public record FieldMetrics(String path, int support, FieldScore base, FieldScore tuned) {

  /**
   * Match rates over the examples that expect the field; precision, recall and F1 over its counts,
   * null where undefined (precision of a field the model never gave).
   */
  public record FieldScore(
      double exactMatch,
      double normalisedMatch,
      @Nullable Double precision,
      @Nullable Double recall,
      @Nullable Double f1,
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

  /** Null when either model's F1 is undefined. */
  public @Nullable Double f1Delta() {
    return Ratios.delta(base.f1(), tuned.f1());
  }
}
