package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.FieldComparison;

/**
 * One key path over all examples. {@code support} is the number of examples that expect it; the
 * match rates are over those examples (0.0 when none does).
 */
public record FieldStats(
    String path, int support, int exactMatches, int normalisedMatches, FieldCounts counts) {
  static FieldStats empty(String path) {
    return new FieldStats(path, 0, 0, 0, FieldCounts.ZERO);
  }

  FieldStats plus(FieldComparison.Outcome outcome) {
    boolean expected = outcome.expected() != null;
    return new FieldStats(
        path,
        support + (expected ? 1 : 0),
        exactMatches + (outcome.exactMatch() ? 1 : 0),
        normalisedMatches + (outcome.normalisedMatch() ? 1 : 0),
        counts.plus(FieldCounts.of(outcome)));
  }

  public double exactMatchRate() {
    return support == 0 ? 0.0 : (double) exactMatches / support;
  }

  public double normalisedMatchRate() {
    return support == 0 ? 0.0 : (double) normalisedMatches / support;
  }
}
