package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.FieldComparison;
import dev.tuneforge.fieldmetrics.JsonOutput;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One model's figures on one example: every headline metric is a function of these over the
 * examples, which is what lets the bootstrap resample examples.
 *
 * @param fields the counts of each expected key path of the set this answer touches
 */
record ExampleFigures(
    boolean validJson,
    boolean objectMatch,
    FieldCounts counts,
    Map<String, FieldCounts> fields,
    double rougeL,
    boolean textMatch) {
  ExampleFigures {
    fields = Map.copyOf(fields);
  }

  static ExampleFigures of(ExampleScore score, Set<String> expectedPaths) {
    Map<String, FieldCounts> fields = new HashMap<>();
    for (FieldComparison.Outcome outcome : score.fields()) {
      if (expectedPaths.contains(outcome.path())) {
        fields.put(outcome.path(), FieldCounts.of(outcome));
      }
    }
    return new ExampleFigures(
        score.validJson(),
        score.objectMatch(),
        score.counts(),
        fields,
        score.rougeL(),
        EvaluationScores.textMatch(score.answer()));
  }

  static ExampleFigures text(ModelAnswer answer) {
    return new ExampleFigures(
        JsonOutput.parse(answer.output()).valid(),
        false,
        FieldCounts.ZERO,
        Map.of(),
        RougeL.score(answer.output(), answer.expected()),
        EvaluationScores.textMatch(answer));
  }
}
