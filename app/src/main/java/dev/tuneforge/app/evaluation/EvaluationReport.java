package dev.tuneforge.app.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of one model over a list of examples, with every example's marks kept for the
 * side-by-side table. Definitions are in docs/evaluation.md.
 *
 * @param fields per key path, in first-seen order: expected paths first, then extra keys
 * @param micro counts over all fields of all examples
 */
public record EvaluationReport(
    List<ExampleScore> examples, Map<String, FieldStats> fields, FieldCounts micro) {
  public EvaluationReport {
    examples = List.copyOf(examples);
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  public int size() {
    return examples.size();
  }

  public double jsonValidityRate() {
    return rate(examples.stream().filter(ExampleScore::validJson).count());
  }

  public double objectMatchRate() {
    return rate(examples.stream().filter(ExampleScore::objectMatch).count());
  }

  public double meanRougeL() {
    return examples.stream().mapToDouble(ExampleScore::rougeL).sum() / examples.size();
  }

  public FieldStats field(String path) {
    return fields.getOrDefault(path, FieldStats.empty(path));
  }

  private double rate(long count) {
    return (double) count / examples.size();
  }
}
