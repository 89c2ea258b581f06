package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.FieldComparison;
import java.util.List;

/**
 * One example's result, a row of the side-by-side table: every expected and every predicted key
 * path with its mark, in the expected order followed by the extra keys.
 */
public record ExampleScore(
    int index,
    ModelAnswer answer,
    boolean validJson,
    List<FieldComparison.Outcome> fields,
    double rougeL) {
  public ExampleScore {
    fields = List.copyOf(fields);
  }

  public FieldCounts counts() {
    return fields.stream().map(FieldCounts::of).reduce(FieldCounts.ZERO, FieldCounts::plus);
  }

  /**
   * Whole-object match after normalisation: valid JSON, every expected field right, no extra keys.
   */
  public boolean objectMatch() {
    return validJson && fields.stream().allMatch(f -> f.status() == FieldComparison.Status.CORRECT);
  }
}
