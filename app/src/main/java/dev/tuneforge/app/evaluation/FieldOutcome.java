package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.ValueNormaliser;
import org.jspecify.annotations.Nullable;

/**
 * One key path of one example: what was expected, what the model gave, and whether they match as
 * written and after {@link ValueNormaliser normalisation}.
 */
public record FieldOutcome(
    String path,
    @Nullable String expected,
    @Nullable String predicted,
    boolean exactMatch,
    boolean normalisedMatch) {

  public enum Status {
    /** Expected and matched after normalisation: a true positive. */
    CORRECT,
    /** Expected, given, but a different value: both a false positive and a false negative. */
    WRONG,
    /** Expected but not given (or the output is not valid JSON): a false negative. */
    MISSING,
    /** Given but not expected: a false positive. */
    EXTRA
  }

  static FieldOutcome of(String path, @Nullable String expected, @Nullable String predicted) {
    boolean exact = expected != null && expected.equals(predicted);
    boolean normalised =
        expected != null && predicted != null && ValueNormaliser.sameValue(expected, predicted);
    return new FieldOutcome(path, expected, predicted, exact, normalised);
  }

  public Status status() {
    if (expected == null) {
      return Status.EXTRA;
    }
    if (predicted == null) {
      return Status.MISSING;
    }
    return normalisedMatch ? Status.CORRECT : Status.WRONG;
  }

  FieldCounts counts() {
    return switch (status()) {
      case CORRECT -> new FieldCounts(1, 0, 0);
      case WRONG -> new FieldCounts(0, 1, 1);
      case MISSING -> new FieldCounts(0, 0, 1);
      case EXTRA -> new FieldCounts(0, 1, 0);
    };
  }
}
