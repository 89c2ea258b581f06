package dev.tuneforge.fieldmetrics;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The micro field F1 of answers against expected JSON objects, by the marks of docs/evaluation.md:
 * per key path of either side, a normalised match is a true positive, a different value both a
 * false positive and a false negative, an expected path not given a false negative, a path given
 * but not expected a false positive; an invalid answer gives nothing. F1 = 2TP / (2TP + FP + FN).
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
      ParsedOutput predicted = JsonOutput.parse(answers.get(i).output());
      Set<String> paths = new LinkedHashSet<>(expected.fields().keySet());
      paths.addAll(predicted.fields().keySet());
      for (String path : paths) {
        String e = expected.fields().get(path);
        String p = predicted.fields().get(path);
        if (e != null && p != null && ValueNormaliser.sameValue(e, p)) {
          truePositives++;
        } else {
          // Missing or extra: one error; a wrong value is a false positive and a false negative.
          errors += e != null && p != null ? 2 : 1;
        }
      }
    }
    long denominator = 2 * truePositives + errors;
    return denominator == 0 ? null : 2.0 * truePositives / denominator;
  }
}
