package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.PromptMessage;
import dev.tuneforge.protocol.TokenScores;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures stored for an evaluation, computed from the node's generations and summary. */
class EvaluationScoresTest {
  static final EvaluationSummary SUMMARY =
      new EvaluationSummary(
          3,
          "greedy",
          64,
          new TokenScores(2.0, Math.exp(2.0), 0.25, 90),
          new TokenScores(0.5, Math.exp(0.5), 0.8, 90),
          12.5,
          400,
          null,
          null,
          "cpu");

  static EvaluationExample example(int index, String expected, String base, String tuned) {
    return new EvaluationExample(
        index,
        List.of(new PromptMessage("user", "receipt " + index)),
        expected,
        base,
        tuned,
        5,
        9,
        "eos",
        "eos",
        null,
        null,
        null,
        null);
  }

  @Test
  void extractionAnswersAreScoredFieldByFieldForBothModels() {
    EvaluationScores scores =
        EvaluationScores.compute(
            List.of(
                example(
                    0,
                    "{\"company\":\"A\",\"total\":\"1.00\"}",
                    "not json",
                    "{\"company\":\"a\",\"total\":\"1.0\"}"),
                example(
                    1,
                    "{\"company\":\"B\",\"total\":\"2.00\"}",
                    "{\"company\":\"B\"}",
                    "{\"company\":\"B\",\"total\":\"3\"}"),
                example(
                    2,
                    "{\"company\":\"C\",\"total\":\"3.00\"}",
                    "{\"company\":\"C\",\"total\":\"3.00\"}",
                    "{\"company\":\"C\",\"total\":\"3.00\",\"date\":\"x\"}")),
            SUMMARY);

    assertThat(scores.kind()).isEqualTo(EvaluationScores.Kind.EXTRACTION);
    // base: TP 3 (B, C, 3.00), FP 0, FN 3 (A, 1.00, 2.00).
    assertThat(scores.base().microPrecision()).isCloseTo(1.0, within(1e-9));
    assertThat(scores.base().microRecall()).isCloseTo(0.5, within(1e-9));
    assertThat(scores.base().jsonValidity()).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(scores.base().objectMatch()).isCloseTo(1.0 / 3, within(1e-9));
    // tuned: TP 4 (a~A, 1.0~1.00, B, C, 3.00 -> 5), wrong total 3 (FP+FN), extra date (FP).
    assertThat(scores.tuned().microPrecision()).isCloseTo(5.0 / 7, within(1e-9));
    assertThat(scores.tuned().microRecall()).isCloseTo(5.0 / 6, within(1e-9));
    assertThat(scores.tuned().objectMatch()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(scores.tuned().loss()).isEqualTo(0.5);
    assertThat(scores.base().tokenAccuracy()).isEqualTo(0.25);

    assertThat(scores.fields())
        .extracting(FieldMetrics::path)
        .as("date is expected nowhere: an unexpected key, not a field")
        .containsExactly("company", "total");
    assertThat(scores.tuned().keys().answersWithUnexpected()).isEqualTo(1);
    assertThat(scores.tuned().keys().unexpectedText())
        .isEqualTo("unexpected keys in 1 of 3 answers: date (1)");
    assertThat(scores.base().keys().missingText())
        .as("the invalid answer counts under JSON validity, not here")
        .isEqualTo("missing keys in 1 of 3 answers: total (1)");
    FieldMetrics total = scores.fieldsByPath().get("total");
    assertThat(total.support()).isEqualTo(3);
    assertThat(total.base().normalisedMatch()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(total.tuned().normalisedMatch()).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(total.tuned().exactMatch()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(scores.comparison()).isNotNull();
    // A wrong total is worse than a missing one (a false positive too), and so is an extra key.
    assertThat(scores.comparison().tunedWorse())
        .extracting(ExamplePair::index)
        .containsExactly(1, 2);
    assertThat(scores.comparison().tunedBetter()).extracting(ExamplePair::index).containsExactly(0);
  }

  @Test
  void freeTextAnswersGetRougeAndTextMatchOnly() {
    EvaluationScores scores =
        EvaluationScores.compute(
            List.of(
                example(0, "The parcel arrives Monday.", "No idea.", "the parcel  arrives monday."),
                example(
                    1,
                    "Refunds take five days.",
                    "Refunds take five days.",
                    "Refunds take a week.")),
            SUMMARY);

    assertThat(scores.kind()).isEqualTo(EvaluationScores.Kind.TEXT);
    assertThat(scores.fields()).isEmpty();
    assertThat(scores.comparison()).isNull();
    assertThat(scores.base().textMatch()).isCloseTo(0.5, within(1e-9));
    assertThat(scores.tuned().textMatch()).isCloseTo(0.5, within(1e-9));
    assertThat(scores.tuned().rougeL()).isGreaterThan(scores.base().rougeL());
    assertThat(scores.tuned().microF1()).isNull();
    assertThat(scores.tuned().macroF1()).isNull();
    assertThat(scores.confidence().metrics())
        .extracting(MetricConfidence::metric)
        .containsExactly(Headline.JSON_VALIDITY, Headline.ROUGE_L, Headline.TEXT_MATCH);
  }

  @Test
  void aSummaryWithoutTokenScoresLeavesThemUnknown() {
    EvaluationSummary noScores = new EvaluationSummary(1, "greedy", 64, null, null, 1, 10, null);
    EvaluationScores scores =
        EvaluationScores.compute(
            List.of(example(0, "{\"a\":\"1\"}", "{\"a\":\"1\"}", "{\"a\":\"2\"}")), noScores);
    assertThat(scores.base().loss()).isNull();
    assertThat(scores.tuned().perplexity()).isNull();
    assertThat(scores.base().objectMatch()).isEqualTo(1.0);
    assertThat(scores.tuned().objectMatch()).isZero();
  }

  @Test
  void nothingGeneratedIsRefused() {
    assertThatThrownBy(() -> EvaluationScores.compute(List.of(), SUMMARY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("generated nothing");
  }
}
