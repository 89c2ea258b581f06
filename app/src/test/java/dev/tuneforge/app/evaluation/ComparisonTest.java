package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  private static final String E1 = "{\"company\": \"A\", \"total\": \"1.00\"}";
  private static final String E2 = "{\"company\": \"B\", \"total\": \"2.00\"}";
  private static final String E3 = "{\"company\": \"C\", \"total\": \"3.00\"}";

  private final EvaluationMetrics metrics = new EvaluationMetrics();

  private EvaluationReport run(String o1, String o2, String o3) {
    return metrics.evaluate(
        List.of(
            new ModelAnswer("1", E1, o1),
            new ModelAnswer("2", E2, o2),
            new ModelAnswer("3", E3, o3)));
  }

  @Test
  void showsPerFieldDeltasAndTheExamplesWorthALook() {
    EvaluationReport base = run("{\"company\": \"A\", \"total\": \"9\"}", "Sure! company B", E3);
    EvaluationReport tuned =
        run(E1, "{\"company\": \"B\", \"total\": \"7\"}", "{\"company\": \"C\"}");
    Comparison comparison = metrics.compare(base, tuned);

    // base: TP 3 (A, C, 3.00), FP 1, FN 3 -> F1 6/10; tuned: TP 4, FP 1, FN 2 -> F1 8/11.
    assertThat(comparison.microF1Delta()).isCloseTo(8.0 / 11 - 0.6, within(1e-9));
    assertThat(comparison.jsonValidityRateDelta()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(comparison.objectMatchRateDelta()).isCloseTo(0.0, within(1e-9));

    FieldDelta company = comparison.fields().get("company");
    assertThat(company.normalisedMatchRateDelta()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(company.f1Delta()).isCloseTo(1.0 - 0.8, within(1e-9));
    FieldDelta total = comparison.fields().get("total");
    // base total: TP 1 FP 1 FN 2 -> 2/5; tuned total: TP 1 FP 1 FN 2 -> 2/5.
    assertThat(total.f1Delta()).isCloseTo(0.0, within(1e-9));

    assertThat(comparison.tunedWorse()).extracting(ExamplePair::index).containsExactly(2);
    assertThat(comparison.tunedWorse().getFirst().regressedFields()).containsExactly("total");
    assertThat(comparison.tunedBetter()).extracting(ExamplePair::index).containsExactly(0, 1);
    assertThat(comparison.bothWrong()).extracting(ExamplePair::index).containsExactly(1);
    assertThat(comparison.invalidJson()).extracting(ExamplePair::index).containsExactly(1);
  }

  @Test
  void refusesReportsOverDifferentExamples() {
    EvaluationReport three = run(E1, E2, E3);
    EvaluationReport other =
        metrics.evaluate(
            List.of(
                new ModelAnswer("1", E1, E1),
                new ModelAnswer("2", E2, E2),
                new ModelAnswer("3", E1, E1)));
    assertThatThrownBy(() -> metrics.compare(three, other))
        .isInstanceOf(IllegalArgumentException.class);
    EvaluationReport one = metrics.evaluate(List.of(new ModelAnswer("1", E1, E1)));
    assertThatThrownBy(() -> metrics.compare(three, one))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
