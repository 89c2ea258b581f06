package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.FieldComparison;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The same example as the base model and the tuned model answered it. */
public record ExamplePair(int index, ExampleScore base, ExampleScore tuned) {
  /** Key paths the base model got right and the tuned model did not. */
  public List<String> regressedFields() {
    Set<String> tunedRight = correct(tuned);
    return base.fields().stream()
        .filter(f -> f.status() == FieldComparison.Status.CORRECT && !tunedRight.contains(f.path()))
        .map(FieldComparison.Outcome::path)
        .toList();
  }

  private static Set<String> correct(ExampleScore score) {
    return score.fields().stream()
        .filter(f -> f.status() == FieldComparison.Status.CORRECT)
        .map(FieldComparison.Outcome::path)
        .collect(Collectors.toSet());
  }
}
