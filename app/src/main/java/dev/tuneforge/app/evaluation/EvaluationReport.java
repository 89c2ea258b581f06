package dev.tuneforge.app.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The metrics of one model over a list of examples, with every example's marks kept for the
 * side-by-side table. Definitions are in docs/evaluation.md.
 *
 * @param fields per key path, in first-seen order: expected paths first, then keys no example
 *     expects (unexpected keys, which {@link #keys()} reports and the field table leaves out)
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

  /** The key paths some example expects: the fields. */
  public Set<String> expectedPaths() {
    return fields.values().stream()
        .filter(f -> f.support() > 0)
        .map(FieldStats::path)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Unexpected and missing keys, counted apart from the fields. */
  public KeyFindings keys() {
    return KeyFindings.of(examples, expectedPaths());
  }

  List<ExampleFigures> figures() {
    Set<String> expected = expectedPaths();
    return examples.stream().map(e -> ExampleFigures.of(e, expected)).toList();
  }

  public FieldStats field(String path) {
    return fields.getOrDefault(path, FieldStats.empty(path));
  }

  private double rate(long count) {
    return (double) count / examples.size();
  }
}
