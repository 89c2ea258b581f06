package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.FieldComparison;
import dev.tuneforge.fieldmetrics.JsonOutput;
import dev.tuneforge.fieldmetrics.ParsedOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The evaluation feature's facade: scores a model's outputs against the expected answers and
 * compares a tuned model with its base model. Stateless and thread-safe.
 */
@Service
public class EvaluationMetrics {

  /**
   * @throws IllegalArgumentException when there are no examples or an expected answer is not a JSON
   *     object (the dataset is wrong, not the model)
   */
  public EvaluationReport evaluate(List<ModelAnswer> examples) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("nothing to evaluate");
    }
    List<ExampleScore> scores = new ArrayList<>();
    for (int i = 0; i < examples.size(); i++) {
      scores.add(score(i, examples.get(i)));
    }
    Map<String, FieldStats> fields = new LinkedHashMap<>();
    FieldCounts micro = FieldCounts.ZERO;
    for (ExampleScore score : scores) {
      for (FieldComparison.Outcome outcome : score.fields()) {
        fields.put(
            outcome.path(),
            fields.getOrDefault(outcome.path(), FieldStats.empty(outcome.path())).plus(outcome));
      }
      micro = micro.plus(score.counts());
    }
    return new EvaluationReport(scores, orderExpectedFirst(fields), micro);
  }

  public Comparison compare(EvaluationReport base, EvaluationReport tuned) {
    return Comparison.of(base, tuned);
  }

  static ExampleScore score(int index, ModelAnswer example) {
    ParsedOutput expected = JsonOutput.parse(example.expected());
    if (!expected.valid()) {
      throw new IllegalArgumentException(
          "expected answer of example "
              + index
              + " ("
              + example.id()
              + ") is unusable: "
              + expected.problem());
    }
    FieldComparison fields = FieldComparison.of(expected, JsonOutput.parse(example.output()));
    return new ExampleScore(
        index,
        example,
        fields.validJson(),
        fields.fields(),
        RougeL.score(example.output(), example.expected()));
  }

  private static Map<String, FieldStats> orderExpectedFirst(Map<String, FieldStats> fields) {
    Map<String, FieldStats> ordered = new LinkedHashMap<>();
    fields.forEach(
        (path, stats) -> {
          if (stats.support() > 0) {
            ordered.put(path, stats);
          }
        });
    fields.forEach(ordered::putIfAbsent);
    return ordered;
  }
}
