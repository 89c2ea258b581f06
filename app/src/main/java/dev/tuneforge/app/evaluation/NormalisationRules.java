package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.FieldComparison;
import dev.tuneforge.fieldmetrics.ValueNormaliser;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which normalisation rule the normalised match applied to each field, read from its expected
 * values, in words a reader can check a mark against.
 */
final class NormalisationRules {
  private NormalisationRules() {}

  static Map<String, String> of(EvaluationReport report) {
    Map<String, Map<ValueNormaliser.Rule, Integer>> counts = new LinkedHashMap<>();
    report.expectedPaths().forEach(p -> counts.put(p, new EnumMap<>(ValueNormaliser.Rule.class)));
    for (ExampleScore example : report.examples()) {
      for (FieldComparison.Outcome field : example.fields()) {
        if (field.expected() != null) {
          counts.get(field.path()).merge(ValueNormaliser.rule(field.expected()), 1, Integer::sum);
        }
      }
    }
    Map<String, String> rules = new LinkedHashMap<>();
    counts.forEach((path, rule) -> rules.put(path, describe(rule)));
    return rules;
  }

  private static String describe(Map<ValueNormaliser.Rule, Integer> rules) {
    int total = rules.values().stream().mapToInt(Integer::intValue).sum();
    return "Normalised match: "
        + rules.entrySet().stream()
            .map(
                e ->
                    (e.getValue() == total
                            ? "all " + total + " expected values are "
                            : e.getValue() + " of " + total + " expected values are ")
                        + e.getKey().description)
            .collect(Collectors.joining("; "))
        + ". Exact match compares the text as written.";
  }
}
