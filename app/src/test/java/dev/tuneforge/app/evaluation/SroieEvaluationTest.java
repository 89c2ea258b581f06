package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.fieldmetrics.FieldF1;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The metrics over the real SROIE validation file: 50 receipts, 4 fields each. */
class SroieEvaluationTest {
  private static final Offset<Double> EPS = within(1e-9);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<Integer, String> ISO_DATES =
      Map.of(
          20, "2018-04-03", 21, "2018-06-26", 22, "2018-03-21", 23, "2018-04-25", 24, "2016-04-06");
  private static final Map<Integer, String> TOTALS_AS_NUMBERS =
      Map.of(20, "7.1", 21, "4.6", 22, "7.4", 23, "48.1", 24, "8.6");

  private static final List<ModelAnswer> EXACT = new ArrayList<>();
  private static final List<ModelAnswer> PERTURBED = new ArrayList<>();
  private final EvaluationMetrics metrics = new EvaluationMetrics();

  @BeforeAll
  static void readValidationFile() throws IOException {
    Path file = locate("shared/datasets/sroie/validation.jsonl");
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode row = JSON.readTree(lines.get(i));
      JsonNode messages = row.get("messages");
      String id = row.get("id").stringValue();
      String expected = messages.get(messages.size() - 1).get("content").stringValue();
      EXACT.add(new ModelAnswer(id, expected, expected));
      PERTURBED.add(new ModelAnswer(id, expected, perturb(i, expected)));
    }
  }

  /**
   * 0-4 not JSON; 5-9 without address; 10-14 wrong company; 15-19 an extra key; 20-24 fenced,
   * company lower-cased, date in ISO form, total as a JSON number (all still right once
   * normalised); 25-49 unchanged.
   */
  private static String perturb(int i, String expected) {
    ObjectNode answer = (ObjectNode) JSON.readTree(expected);
    if (i < 5) {
      return "I could not read this receipt.";
    } else if (i < 10) {
      answer.remove("address");
    } else if (i < 15) {
      answer.put("company", "WRONG COMPANY");
    } else if (i < 20) {
      answer.put("tax", "0.00");
    } else if (i < 25) {
      answer.put("company", answer.get("company").stringValue().toLowerCase(Locale.ROOT));
      answer.put("date", ISO_DATES.get(i));
      answer.put("total", new BigDecimal(TOTALS_AS_NUMBERS.get(i)));
      return "```json\n" + JSON.writeValueAsString(answer) + "\n```";
    } else {
      return expected;
    }
    return JSON.writeValueAsString(answer);
  }

  @Test
  void outputsEqualToTheExpectedAnswersScoreOneEverywhere() {
    EvaluationReport report = metrics.evaluate(EXACT);
    assertThat(report.size()).isEqualTo(50);
    assertThat(report.jsonValidityRate()).isEqualTo(1.0);
    assertThat(report.objectMatchRate()).isEqualTo(1.0);
    assertThat(report.meanRougeL()).isEqualTo(1.0);
    assertThat(report.micro()).isEqualTo(new FieldCounts(200, 0, 0));
    assertThat(report.micro().f1()).isEqualTo(1.0);
    assertThat(report.fields().keySet()).containsExactly("company", "date", "address", "total");
    for (FieldStats field : report.fields().values()) {
      assertThat(field.support()).isEqualTo(50);
      assertThat(field.exactMatchRate()).isEqualTo(1.0);
      assertThat(field.normalisedMatchRate()).isEqualTo(1.0);
      assertThat(field.counts().f1()).isEqualTo(1.0);
    }
  }

  @Test
  void perturbedOutputsGiveTheHandComputedFigures() {
    EvaluationReport report = metrics.evaluate(PERTURBED);
    // TP = 200 - 20 (not JSON) - 5 (no address) - 5 (wrong company) = 170;
    // FP = 5 (wrong company) + 5 (extra key) = 10; FN = 20 + 5 + 5 = 30.
    assertThat(report.micro()).isEqualTo(new FieldCounts(170, 10, 30));
    assertThat(report.micro().precision()).isCloseTo(170.0 / 180, EPS);
    assertThat(report.micro().recall()).isCloseTo(0.85, EPS);
    assertThat(report.micro().f1()).isCloseTo(340.0 / 380, EPS);
    assertThat(report.jsonValidityRate()).isCloseTo(0.9, EPS);
    assertThat(report.objectMatchRate()).isCloseTo(30.0 / 50, EPS);
    assertThat(report.meanRougeL()).isStrictlyBetween(0.0, 1.0);
    assertThat(report.fields().keySet())
        .containsExactly("company", "date", "address", "total", "tax");

    FieldStats company = report.field("company");
    assertThat(company.exactMatchRate()).isCloseTo(35.0 / 50, EPS);
    assertThat(company.normalisedMatchRate()).isCloseTo(40.0 / 50, EPS);
    assertThat(company.counts()).isEqualTo(new FieldCounts(40, 5, 10));
    assertThat(company.counts().f1()).isCloseTo(80.0 / 95, EPS);
    for (String path : List.of("date", "total")) {
      FieldStats field = report.field(path);
      assertThat(field.exactMatchRate()).as(path).isCloseTo(40.0 / 50, EPS);
      assertThat(field.normalisedMatchRate()).as(path).isCloseTo(45.0 / 50, EPS);
      assertThat(field.counts()).as(path).isEqualTo(new FieldCounts(45, 0, 5));
    }
    FieldStats address = report.field("address");
    assertThat(address.exactMatchRate()).isCloseTo(40.0 / 50, EPS);
    assertThat(address.counts()).isEqualTo(new FieldCounts(40, 0, 10));
    assertThat(address.counts().precision()).isEqualTo(1.0);
    FieldStats tax = report.field("tax");
    assertThat(tax.support()).isZero();
    assertThat(tax.counts()).isEqualTo(new FieldCounts(0, 5, 0));
  }

  @Test
  void theNodeComputesTheSameFieldF1AsThisReportOnTheSameAnswers() {
    for (List<ModelAnswer> answers : List.of(EXACT, PERTURBED)) {
      List<FieldF1.Answer> onNode =
          answers.stream().map(a -> new FieldF1.Answer(a.expected(), a.output())).toList();
      assertThat(FieldF1.micro(onNode)).isEqualTo(metrics.evaluate(answers).micro().f1());
    }
  }

  @Test
  void comparingThePerturbedBaseWithAPerfectTuneListsTheTwentyFixedReceipts() {
    Comparison comparison = metrics.compare(metrics.evaluate(PERTURBED), metrics.evaluate(EXACT));
    assertThat(comparison.tunedWorse()).isEmpty();
    assertThat(comparison.tunedBetter())
        .extracting(ExamplePair::index)
        .containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
    assertThat(comparison.bothWrong()).isEmpty();
    assertThat(comparison.invalidJson())
        .extracting(ExamplePair::index)
        .containsExactly(0, 1, 2, 3, 4);
    assertThat(comparison.microF1Delta()).isCloseTo(1.0 - 340.0 / 380, EPS);
    assertThat(comparison.fields().get("company").normalisedMatchRateDelta()).isCloseTo(0.2, EPS);
    // No receipt expects "tax": an unexpected key of the base's answers, not a field.
    assertThat(comparison.fields()).doesNotContainKey("tax");
    assertThat(comparison.base().keys().answersWithUnexpected()).isEqualTo(5);
    assertThat(comparison.base().keys().unexpected())
        .containsExactly(new KeyFindings.KeyCount("tax", 5));
    assertThat(comparison.tuned().keys().answersWithUnexpected()).isZero();

    Comparison reversed = metrics.compare(metrics.evaluate(EXACT), metrics.evaluate(PERTURBED));
    assertThat(reversed.tunedWorse()).hasSize(20);
    assertThat(reversed.tunedWorse().get(5).regressedFields()).containsExactly("address");
    assertThat(reversed.tunedWorse().get(10).regressedFields()).containsExactly("company");
    assertThat(reversed.tunedWorse().get(15).regressedFields()).isEmpty();
  }

  static Path locate(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
      candidate = dir.resolveSibling(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "cannot find " + relative + " above " + Path.of("").toAbsolutePath());
  }
}
