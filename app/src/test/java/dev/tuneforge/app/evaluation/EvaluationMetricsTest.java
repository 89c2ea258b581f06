package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.fieldmetrics.FieldComparison;
import dev.tuneforge.fieldmetrics.FieldComparison.Status;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class EvaluationMetricsTest {
  private static final Offset<Double> EPS = within(1e-9);
  private static final String EXPECTED =
      "{\"company\": \"ACME SDN BHD\", \"date\": \"21/11/2016\", \"address\": \"NO. 1, JALAN 2\","
          + " \"total\": \"31.80\"}";

  private final EvaluationMetrics metrics = new EvaluationMetrics();

  private static ExampleScore score(String expected, String output) {
    return EvaluationMetrics.score(0, new ModelAnswer("x", expected, output));
  }

  private static List<Status> statuses(ExampleScore score) {
    return score.fields().stream().map(FieldComparison.Outcome::status).toList();
  }

  @Test
  void aReformattedButEquivalentAnswerIsRightAfterNormalisationOnly() {
    ExampleScore s =
        score(
            EXPECTED,
            "```json\n"
                + "{\"company\": \"Acme Sdn. Bhd.\", \"date\": \"2016-11-21\", \"address\": \"no 1"
                + " jalan 2\", \"total\": 31.8}\n"
                + "```");
    assertThat(s.validJson()).isTrue();
    assertThat(statuses(s)).containsOnly(Status.CORRECT);
    assertThat(s.fields()).noneMatch(FieldComparison.Outcome::exactMatch);
    assertThat(s.counts()).isEqualTo(new FieldCounts(4, 0, 0));
    assertThat(s.objectMatch()).isTrue();
  }

  @Test
  void exactMatchComparesTheValueTextWhateverItsJsonType() {
    ExampleScore s = score("{\"total\": \"31.80\"}", "{\"total\": 31.80}");
    assertThat(s.fields().getFirst().exactMatch()).isTrue();
  }

  @Test
  void aMissingKeyIsAFalseNegative() {
    ExampleScore s =
        score(
            EXPECTED,
            "{\"company\": \"ACME SDN BHD\", \"date\": \"21/11/2016\", \"total\": \"31.80\"}");
    assertThat(statuses(s))
        .containsExactly(Status.CORRECT, Status.CORRECT, Status.MISSING, Status.CORRECT);
    assertThat(s.counts()).isEqualTo(new FieldCounts(3, 0, 1));
    assertThat(s.objectMatch()).isFalse();
  }

  @Test
  void anExtraKeyIsAFalsePositiveAndSpoilsTheObjectMatch() {
    ExampleScore s = score("{\"total\": \"1.00\"}", "{\"total\": \"1\", \"tax\": \"0.06\"}");
    assertThat(s.fields())
        .extracting(FieldComparison.Outcome::path, FieldComparison.Outcome::status)
        .containsExactly(tuple("total", Status.CORRECT), tuple("tax", Status.EXTRA));
    assertThat(s.counts()).isEqualTo(new FieldCounts(1, 1, 0));
    assertThat(s.objectMatch()).isFalse();
  }

  @Test
  void aWrongValueIsBothAFalsePositiveAndAFalseNegative() {
    ExampleScore s =
        score(
            "{\"total\": \"31.80\", \"date\": \"21/11/2016\"}",
            "{\"total\": \"31.08\", \"date\": \"11/21/2016\"}");
    assertThat(statuses(s)).containsExactly(Status.WRONG, Status.WRONG);
    assertThat(s.counts()).isEqualTo(new FieldCounts(0, 2, 2));
  }

  @Test
  void invalidOrEmptyOutputMissesEveryExpectedField() {
    for (String output :
        List.of(
            "",
            "   ",
            "{\"company\": \"ACME",
            "I cannot read this receipt.",
            "{\"total\": \"1\", \"total\": \"2\"}")) {
      ExampleScore s = score(EXPECTED, output);
      assertThat(s.validJson()).as(output).isFalse();
      assertThat(statuses(s))
          .as(output)
          .containsExactly(Status.MISSING, Status.MISSING, Status.MISSING, Status.MISSING);
      assertThat(s.counts()).as(output).isEqualTo(new FieldCounts(0, 0, 4));
    }
  }

  @Test
  void nestedValuesAreComparedByKeyPathAndListItemsByPosition() {
    String expected =
        "{\"shop\": {\"name\": \"A\"}, \"items\": [{\"name\": \"Tea\", \"price\": \"1.50\"},"
            + " {\"name\": \"Rice\", \"price\": \"2.00\"}]}";
    ExampleScore s =
        score(
            expected,
            "{\"shop\": {\"name\": \"a\"}, \"items\": [{\"name\": \"tea\", \"price\": 1.5},"
                + " {\"name\": \"Noodles\"}, {\"name\": \"Rice\"}]}");
    assertThat(s.fields())
        .extracting(FieldComparison.Outcome::path, FieldComparison.Outcome::status)
        .containsExactly(
            tuple("shop.name", Status.CORRECT),
            tuple("items[0].name", Status.CORRECT),
            tuple("items[0].price", Status.CORRECT),
            tuple("items[1].name", Status.WRONG),
            tuple("items[1].price", Status.MISSING),
            tuple("items[2].name", Status.EXTRA));
    assertThat(s.counts()).isEqualTo(new FieldCounts(3, 2, 2));
  }

  @Test
  void aNullValueCountsAsAnAbsentKey() {
    ExampleScore s =
        score("{\"total\": \"1.00\", \"note\": null}", "{\"total\": null, \"note\": null}");
    assertThat(statuses(s)).containsExactly(Status.MISSING);
  }

  @Test
  void unicodeValuesMatchAcrossCaseAndCompositionForms() {
    ExampleScore s =
        score("{\"company\": \"CAFÉ ÜBER 東京\"}", "{\"company\": \"Cafe\u0301 über 東京\"}");
    assertThat(statuses(s)).containsExactly(Status.CORRECT);
    assertThat(s.fields().getFirst().exactMatch()).isFalse();
  }

  @Test
  void theReportAggregatesMicroAndPerFieldFigures() {
    EvaluationReport report =
        metrics.evaluate(
            List.of(
                new ModelAnswer(
                    "1", "{\"a\": \"x\", \"b\": \"1.00\"}", "{\"a\": \"x\", \"b\": \"1\"}"),
                new ModelAnswer(
                    "2",
                    "{\"a\": \"y\", \"b\": \"2.00\"}",
                    "{\"a\": \"Y\", \"b\": \"3\", \"c\": \"z\"}"),
                new ModelAnswer("3", "{\"a\": \"z\", \"b\": \"3.00\"}", "not json"),
                new ModelAnswer("4", "{\"a\": \"w\", \"b\": \"4.00\"}", "{\"b\": \"4.00\"}")));
    // TP: a1 b1 a2 b4 = 4; FP: b2 (wrong) c2 (extra) = 2; FN: b2 a3 b3 a4 = 4.
    assertThat(report.micro()).isEqualTo(new FieldCounts(4, 2, 4));
    assertThat(report.micro().precision()).isCloseTo(4.0 / 6, EPS);
    assertThat(report.micro().recall()).isCloseTo(4.0 / 8, EPS);
    assertThat(report.micro().f1()).isCloseTo(8.0 / 14, EPS);
    assertThat(report.jsonValidityRate()).isCloseTo(0.75, EPS);
    assertThat(report.objectMatchRate()).isCloseTo(0.25, EPS);
    assertThat(report.fields().keySet()).containsExactly("a", "b", "c");

    FieldStats a = report.field("a");
    assertThat(a.support()).isEqualTo(4);
    assertThat(a.exactMatchRate()).isCloseTo(0.25, EPS);
    assertThat(a.normalisedMatchRate()).isCloseTo(0.5, EPS);
    assertThat(a.counts()).isEqualTo(new FieldCounts(2, 0, 2));
    assertThat(a.counts().precision()).isEqualTo(1.0);

    FieldStats b = report.field("b");
    assertThat(b.exactMatchRate()).isCloseTo(0.25, EPS);
    assertThat(b.normalisedMatchRate()).isCloseTo(0.5, EPS);
    assertThat(b.counts()).isEqualTo(new FieldCounts(2, 1, 2));

    FieldStats c = report.field("c");
    assertThat(c.support()).isZero();
    assertThat(c.counts()).isEqualTo(new FieldCounts(0, 1, 0));
    assertThat(c.counts().precision()).isZero();
    assertThat(c.counts().recall()).as("no support: undefined").isNull();
    assertThat(c.counts().f1()).isZero();
  }

  @Test
  void aRatioWithNothingToCountIsUndefined() {
    assertThat(FieldCounts.ZERO.precision()).isNull();
    assertThat(FieldCounts.ZERO.recall()).isNull();
    assertThat(FieldCounts.ZERO.f1()).isNull();
    assertThat(new FieldCounts(0, 0, 3).precision()).as("nothing claimed").isNull();
    assertThat(new FieldCounts(0, 0, 3).recall()).isZero();
    assertThat(new FieldCounts(0, 0, 3).f1()).isZero();
    assertThat(new FieldCounts(3, 1, 1).f1()).isCloseTo(0.75, EPS);
  }

  @Test
  void refusesNoExamplesAndExpectedAnswersThatAreNotJsonObjects() {
    assertThatThrownBy(() -> metrics.evaluate(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> metrics.evaluate(List.of(new ModelAnswer("r7", "oops", "{}"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("r7");
  }
}
