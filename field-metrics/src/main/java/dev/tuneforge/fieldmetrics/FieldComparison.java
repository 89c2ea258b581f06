package dev.tuneforge.fieldmetrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One answer compared with its expected JSON object key path by key path, by the marks of
 * docs/evaluation.md: every expected path, then every path given but not expected, each with what
 * was expected, what was given and its {@link Status}. The one place the app's evaluation and the
 * node's evaluation during training compare fields, so both count the same.
 */
public record FieldComparison(boolean validJson, List<FieldComparison.Outcome> fields) {

  public FieldComparison {
    fields = List.copyOf(fields);
  }

  /** What one key path of an answer counts as. */
  public enum Status {
    /** Expected and matched after normalisation: a true positive. */
    CORRECT(1, 0, 0),
    /** Expected, given, but a different value: both a false positive and a false negative. */
    WRONG(0, 1, 1),
    /** Expected but not given (or the output is not valid JSON): a false negative. */
    MISSING(0, 0, 1),
    /** Given but not expected: a false positive. */
    EXTRA(0, 1, 0);

    public final int truePositives;
    public final int falsePositives;
    public final int falseNegatives;

    Status(int truePositives, int falsePositives, int falseNegatives) {
      this.truePositives = truePositives;
      this.falsePositives = falsePositives;
      this.falseNegatives = falseNegatives;
    }
  }

  /**
   * One key path of one answer: what was expected, what the model gave, and whether they match as
   * written and after {@link ValueNormaliser normalisation}.
   */
  public record Outcome(
      String path,
      @Nullable String expected,
      @Nullable String predicted,
      boolean exactMatch,
      boolean normalisedMatch) {

    public static Outcome of(String path, @Nullable String expected, @Nullable String predicted) {
      boolean exact = expected != null && expected.equals(predicted);
      boolean normalised =
          expected != null && predicted != null && ValueNormaliser.sameValue(expected, predicted);
      return new Outcome(path, expected, predicted, exact, normalised);
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
  }

  /**
   * Compares an answer with an expected answer that reads as a JSON object; an answer that does not
   * gives every expected path as missing.
   *
   * @throws IllegalArgumentException when the expected answer is not a JSON object, with the reason
   */
  public static FieldComparison of(ParsedOutput expected, ParsedOutput predicted) {
    if (!expected.valid()) {
      throw new IllegalArgumentException(expected.problem());
    }
    Set<String> paths = new LinkedHashSet<>(expected.fields().keySet());
    paths.addAll(predicted.fields().keySet());
    List<Outcome> outcomes = new ArrayList<>();
    for (String path : paths) {
      outcomes.add(Outcome.of(path, expected.fields().get(path), predicted.fields().get(path)));
    }
    return new FieldComparison(predicted.valid(), outcomes);
  }

  /** {@link #of(ParsedOutput, ParsedOutput)} on the two texts read by {@link JsonOutput}. */
  public static FieldComparison of(String expected, String output) {
    return of(JsonOutput.parse(expected), JsonOutput.parse(output));
  }

  public int truePositives() {
    return fields.stream().mapToInt(f -> f.status().truePositives).sum();
  }

  public int falsePositives() {
    return fields.stream().mapToInt(f -> f.status().falsePositives).sum();
  }

  public int falseNegatives() {
    return fields.stream().mapToInt(f -> f.status().falseNegatives).sum();
  }

  /** Valid JSON, every expected path right and no path given that was not expected. */
  public boolean objectMatch() {
    return validJson && fields.stream().allMatch(f -> f.status() == Status.CORRECT);
  }
}
