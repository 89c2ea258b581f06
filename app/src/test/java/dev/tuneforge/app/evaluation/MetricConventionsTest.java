package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conventions a reader of the evaluation page relies on, each on a hand-made case: undefined
 * ratios, macro and micro means, unexpected and missing keys, ties.
 */
class MetricConventionsTest {
  private static final double EPS = 1e-12;
  private final EvaluationMetrics metrics = new EvaluationMetrics();

  private EvaluationReport report(String... expectedThenOutput) {
    List<ModelAnswer> answers = new java.util.ArrayList<>();
    for (int i = 0; i < expectedThenOutput.length; i += 2) {
      answers.add(new ModelAnswer("r" + i, expectedThenOutput[i], expectedThenOutput[i + 1]));
    }
    return metrics.evaluate(answers);
  }

  private static List<ExampleFigures> figures(EvaluationReport report) {
    return report.figures();
  }

  private static int[] all(EvaluationReport report) {
    return java.util.stream.IntStream.range(0, report.size()).toArray();
  }

  @Test
  void aFieldTheModelNeverGaveHasNoPrecisionAndTheMacroMeanLeavesItOut() {
    EvaluationReport report =
        report(
            "{\"a\": \"1\", \"b\": \"2\"}", "{\"a\": \"1\"}",
            "{\"a\": \"3\", \"b\": \"4\"}", "{\"a\": \"3\"}");

    FieldCounts b = report.field("b").counts();
    assertThat(b).isEqualTo(new FieldCounts(0, 0, 2));
    assertThat(b.precision()).as("nothing claimed: undefined, shown as —").isNull();
    assertThat(b.recall()).isZero();
    assertThat(b.f1()).isZero();
    // Macro: a mean over fields; b's undefined precision is left out, not counted as 0 or 1.
    assertThat(Headline.MACRO_PRECISION.of(figures(report), all(report))).isEqualTo(1.0);
    assertThat(Headline.MACRO_RECALL.of(figures(report), all(report))).isCloseTo(0.5, within(EPS));
    assertThat(Headline.MACRO_F1.of(figures(report), all(report))).isCloseTo(0.5, within(EPS));
    // Micro: over every field instance, TP 2, FP 0, FN 2.
    assertThat(Headline.MICRO_PRECISION.of(figures(report), all(report))).isEqualTo(1.0);
    assertThat(Headline.MICRO_F1.of(figures(report), all(report))).isCloseTo(2.0 / 3, within(EPS));
  }

  @Test
  void answersThatClaimNothingHaveNoMicroPrecision() {
    EvaluationReport report = report("{\"a\": \"1\"}", "not json", "{\"a\": \"2\"}", "{}");
    assertThat(report.micro().precision()).isNull();
    assertThat(report.micro().recall()).isZero();
    assertThat(Headline.MACRO_PRECISION.of(figures(report), all(report))).isNull();
    assertThat(Headline.MACRO_F1.of(figures(report), all(report))).isZero();
  }

  @Test
  void keysNoExpectedAnswerHasAreOneFindingAndNotFields() {
    EvaluationReport report =
        report(
            "{\"address\": \"x\", \"phone\": \"1\"}",
                "{\"address\": \"x\", \"phone\": \"1\", \"adddres\": \"x\"}",
            "{\"address\": \"y\"}", "{\"adddres\": \"y\", \"addate\": \"z\", \"phone\": \"2\"}",
            "{\"address\": \"z\"}", "{\"address\": \"z\"}");

    assertThat(report.expectedPaths()).containsExactly("address", "phone");
    KeyFindings keys = report.keys();
    assertThat(keys.answersWithUnexpected()).isEqualTo(2);
    assertThat(keys.unexpected())
        .containsExactly(
            new KeyFindings.KeyCount("adddres", 2), new KeyFindings.KeyCount("addate", 1));
    assertThat(keys.unexpectedText())
        .isEqualTo("unexpected keys in 2 of 3 answers: adddres (2), addate (1)");
    // phone is expected elsewhere, so in the second answer it is an extra value of a field.
    assertThat(report.field("phone").counts()).isEqualTo(new FieldCounts(1, 1, 0));
    // Invented keys are still claims that are false: they count in the micro precision.
    assertThat(report.micro()).isEqualTo(new FieldCounts(3, 4, 1));

    Comparison comparison = metrics.compare(report, report);
    assertThat(comparison.fields().keySet()).containsExactly("address", "phone");
  }

  @Test
  void missingKeysAreCountedPerValidAnswerApartFromInvalidOnes() {
    EvaluationReport report =
        report(
            "{\"date\": \"1\", \"total\": \"2\"}", "{\"date\": \"1\"}",
            "{\"date\": \"1\", \"total\": \"2\"}", "{}",
            "{\"date\": \"1\", \"total\": \"2\"}", "I cannot read this receipt",
            "{\"date\": \"1\", \"total\": \"2\"}", "{\"date\": \"1\", \"total\": \"2\"}");

    KeyFindings keys = report.keys();
    assertThat(keys.answers()).isEqualTo(4);
    assertThat(keys.answersWithMissing()).isEqualTo(2);
    assertThat(keys.missing())
        .as("ties are listed by key")
        .containsExactly(new KeyFindings.KeyCount("total", 2), new KeyFindings.KeyCount("date", 1));
    assertThat(keys.missingText()).isEqualTo("missing keys in 2 of 4 answers: total (2), date (1)");
    assertThat(keys.answersWithUnexpected()).isZero();
    assertThat(keys.unexpectedText()).isEqualTo("no unexpected keys in 4 answers");
  }

  @Test
  void tiedExamplesAreNeitherBetterNorWorse() {
    EvaluationReport base =
        report(
            "{\"a\": \"1\", \"b\": \"2\"}", "{\"a\": \"1\"}",
            "{}", "{}",
            "{\"a\": \"1\"}", "{\"a\": \"9\"}");
    EvaluationReport tuned =
        report(
            "{\"a\": \"1\", \"b\": \"2\"}", "{\"b\": \"2\"}",
            "{}", "{}",
            "{\"a\": \"1\"}", "{\"a\": \"1\"}");
    Comparison comparison = metrics.compare(base, tuned);

    assertThat(comparison.pairs().get(1).base().counts().f1())
        .as("nothing expected, nothing given: undefined")
        .isNull();
    assertThat(comparison.tunedBetter()).extracting(ExamplePair::index).containsExactly(2);
    assertThat(comparison.tunedWorse()).isEmpty();
  }

  @Test
  void identicalModelsShowNoClearDifference() {
    EvaluationScores scores =
        EvaluationScores.compute(
            List.of(
                EvaluationScoresTest.example(0, "{\"a\":\"1\"}", "{\"a\":\"1\"}", "{\"a\":\"1\"}"),
                EvaluationScoresTest.example(1, "{\"a\":\"2\"}", "{\"a\":\"3\"}", "{\"a\":\"3\"}"),
                EvaluationScoresTest.example(2, "{\"a\":\"4\"}", "nope", "nope")),
            EvaluationScoresTest.SUMMARY);
    MetricConfidence f1 = scores.confidence().of(Headline.MICRO_F1).orElseThrow();
    assertThat(f1.deltaInterval()).isEqualTo(new Interval(0, 0));
    assertThat(f1.sentence())
        .isEqualTo("no clear difference on field F1 (micro): +0.0 pts (95 % CI +0.0 … +0.0)");
  }

  @Test
  void eachFieldSaysWhichNormalisationItsValuesGet() {
    EvaluationReport report =
        report(
            "{\"total\": \"RM31.80\", \"date\": \"25/12/2018\", \"company\": \"ABC\"}", "{}",
            "{\"total\": \"9.00\", \"date\": \"soon\", \"company\": \"DEF\"}", "{}");
    var rules = NormalisationRules.of(report);
    assertThat(rules.get("total")).contains("all 2 expected values are amounts");
    assertThat(rules.get("date"))
        .contains("1 of 2 expected values are dates")
        .contains("1 of 2 expected values are text");
    assertThat(rules.get("company")).contains("all 2 expected values are text");
  }
}
