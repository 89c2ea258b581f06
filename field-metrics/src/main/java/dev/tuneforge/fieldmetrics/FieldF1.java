package dev.tuneforge.fieldmetrics;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The micro field F1 of answers against expected JSON objects, each compared by {@link
 * FieldComparison}: F1 = 2TP / (2TP + FP + FN) over all their key paths.
 */
public final class FieldF1 {

  /** One expected answer (a JSON object) and what a model answered. */
  public record Answer(String expected, String output) {}

  private FieldF1() {}

  /** Whether field F1 applies to an expected answer: it reads as a JSON object. */
  public static boolean applies(String expected) {
    return JsonOutput.parse(expected).valid();
  }

  /**
   * Null when nothing was expected nor claimed (0/0 is undefined, not a score).
   *
   * @throws IllegalArgumentException when an expected answer is not a JSON object, naming it
   */
  public static @Nullable Double micro(List<Answer> answers) {
    long truePositives = 0;
    long errors = 0;
    for (int i = 0; i < answers.size(); i++) {
      ParsedOutput expected = JsonOutput.parse(answers.get(i).expected());
      if (!expected.valid()) {
        throw new IllegalArgumentException(
            "expected answer " + i + " is not a JSON object: " + expected.problem());
      }
      FieldComparison fields =
          FieldComparison.of(expected, JsonOutput.parse(answers.get(i).output()));
      truePositives += fields.truePositives();
      errors += fields.falsePositives() + fields.falseNegatives();
    }
    long denominator = 2 * truePositives + errors;
    return denominator == 0 ? null : 2.0 * truePositives / denominator;
  }
}
