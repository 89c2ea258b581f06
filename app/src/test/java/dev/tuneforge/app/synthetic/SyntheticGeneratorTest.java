package dev.tuneforge.app.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The generator's promises: reproducible rows, labels right by construction, noise that does what
 * it says.
 */
class SyntheticGeneratorTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static final List<FieldSpec> RECEIPT_FIELDS =
      List.of(
          new FieldSpec("vendor", FieldType.COMPANY, "The shop's name"),
          new FieldSpec("address", FieldType.ADDRESS, "The shop's address"),
          new FieldSpec(
              "date", FieldType.DATE, "Date of purchase", List.of("2024-03-15", "15/03/2024")),
          new FieldSpec(
              "receipt_number", FieldType.ID, "The receipt's number", List.of("R-2024-00042")),
          new FieldSpec("cashier", FieldType.PERSON, "Who served"),
          new FieldSpec(
              "payment_method",
              FieldType.ENUM,
              "How it was paid",
              List.of("cash", "card", "voucher")),
          new FieldSpec("items", FieldType.NUMBER, "How many articles", List.of("1", "12")),
          new FieldSpec("phone", FieldType.PHONE, "The shop's phone"),
          new FieldSpec("email", FieldType.EMAIL, "The shop's email"),
          new FieldSpec("note", FieldType.STRING, "Any note"),
          new FieldSpec("tax", FieldType.MONEY, "Sales tax"),
          new FieldSpec("total", FieldType.MONEY, "Amount paid, tax included"));

  static GenerationSpec spec(DocumentKind kind, long seed, double noise, int count) {
    return new GenerationSpec(RECEIPT_FIELDS, kind, count, seed, noise);
  }

  private static List<String> rows(GenerationSpec spec) {
    SyntheticGenerator generator = new SyntheticGenerator(spec);
    return IntStream.range(0, spec.count()).mapToObj(generator::row).toList();
  }

  @Test
  void theSameSpecAndSeedGiveByteIdenticalRowsAndAnotherSeedOthers() {
    List<String> first = rows(spec(DocumentKind.INVOICE, 42, 0.5, 50));
    assertThat(rows(spec(DocumentKind.INVOICE, 42, 0.5, 50))).isEqualTo(first);
    List<String> other = rows(spec(DocumentKind.INVOICE, 43, 0.5, 50));
    assertThat(other).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(other.get(i)).isNotEqualTo(first.get(i));
    }
    assertThat(first).doesNotHaveDuplicates();
  }

  @Test
  void aPreviewRowIsTheRowTheRunWrites() {
    SyntheticGenerator run = new SyntheticGenerator(spec(DocumentKind.RECEIPT, 7, 0.3, 100));
    List<String> all = IntStream.range(0, 100).mapToObj(run::row).toList();
    SyntheticGenerator preview = new SyntheticGenerator(spec(DocumentKind.RECEIPT, 7, 0.3, 100));
    assertThat(IntStream.range(0, 3).mapToObj(preview::row).toList()).isEqualTo(all.subList(0, 3));
    assertThat(preview.row(57)).isEqualTo(all.get(57));
  }

  @ParameterizedTest
  @EnumSource(DocumentKind.class)
  void atNoiseZeroEveryLabelAppearsVerbatimInItsDocument(DocumentKind kind) {
    SyntheticGenerator generator = new SyntheticGenerator(spec(kind, 11, 0, 200));
    for (int i = 0; i < 200; i++) {
      GeneratedExample example = generator.example(i);
      JsonNode row = JSON.readTree(generator.row(example));
      JsonNode messages = row.get("messages");
      assertThat(messages.get(0).get("role").asString()).isEqualTo("system");
      String document = messages.get(1).get("content").asString();
      JsonNode truth = JSON.readTree(messages.get(2).get("content").asString());
      assertThat(document).isEqualTo(example.cleanDocument());
      assertThat(truth.propertyNames())
          .containsExactlyElementsOf(RECEIPT_FIELDS.stream().map(FieldSpec::name).toList());
      for (FieldSpec field : RECEIPT_FIELDS) {
        JsonNode value = truth.get(field.name());
        assertThat(value.isNull()).as("no field is left out at noise 0").isFalse();
        String text = field.type() == FieldType.NUMBER ? value.toString() : value.asString();
        assertThat(document).as("%s of row %d", field.name(), i).contains(text);
      }
      assertThat(example.distractors()).isEmpty();
    }
  }

  @Test
  void receiptFiguresAddUp() {
    SyntheticGenerator generator = new SyntheticGenerator(spec(DocumentKind.RECEIPT, 5, 0, 20));
    for (int i = 0; i < 20; i++) {
      JsonNode truth = JSON.readTree(generator.example(i).answer());
      String document = generator.example(i).document();
      double items =
          document
              .lines()
              .filter(l -> l.matches(".*\\d+\\.\\d\\d$") && !l.contains(":"))
              .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
              .sum();
      assertThat(items + Double.parseDouble(truth.get("tax").asString()))
          .isCloseTo(
              Double.parseDouble(truth.get("total").asString()),
              org.assertj.core.data.Offset.offset(0.001));
    }
  }

  @Test
  void omittedFieldsAreNullAndAbsentFromTheDocument() {
    SyntheticGenerator generator = new SyntheticGenerator(spec(DocumentKind.INVOICE, 3, 0.8, 300));
    int omitted = 0;
    for (int i = 0; i < 300; i++) {
      GeneratedExample example = generator.example(i);
      JsonNode truth = JSON.readTree(example.answer());
      for (String name : example.omitted()) {
        omitted++;
        assertThat(truth.get(name).isNull()).isTrue();
      }
      for (FieldSpec field : RECEIPT_FIELDS) {
        assertThat(truth.get(field.name()).isNull())
            .isEqualTo(example.omitted().contains(field.name()));
      }
      for (String name : example.omitted()) {
        String value = omittedValue(generator, i, name);
        // A total left out can still equal a single line item's amount; every other value is gone.
        boolean impliedByItems = name.equals("total") || name.equals("tax");
        if (value.length() >= 6 && !impliedByItems) {
          assertThat(example.cleanDocument()).as("%s of row %d", name, i).doesNotContain(value);
        }
      }
    }
    assertThat(omitted).as("about 0.4 × 0.8 of 3,600 fields").isBetween(900, 1400);
  }

  /** What the field would have been: the same row at noise 0 states every field. */
  private static String omittedValue(SyntheticGenerator noisy, int index, String name) {
    return new SyntheticGenerator(spec(DocumentKind.INVOICE, 3, 0, 300))
        .example(index)
        .stated()
        .getOrDefault(name, "");
  }

  @Test
  void moreNoiseMeansMoreCharacterErrorsButLabelsStayTrue() {
    double previous = -1;
    for (double noise : new double[] {0, 0.2, 0.5, 1.0}) {
      SyntheticGenerator generator =
          new SyntheticGenerator(spec(DocumentKind.RECEIPT, 9, noise, 100));
      long errors = 0;
      long characters = 0;
      for (int i = 0; i < 100; i++) {
        GeneratedExample example = generator.example(i);
        errors += levenshtein(example.cleanDocument(), example.document());
        characters += example.cleanDocument().length();
        JsonNode truth = JSON.readTree(example.answer());
        example
            .stated()
            .forEach(
                (name, value) -> {
                  JsonNode label = truth.get(name);
                  assertThat(label.isNumber() ? label.toString() : label.asString())
                      .isEqualTo(value);
                  assertThat(example.cleanDocument()).contains(value);
                });
      }
      double rate = (double) errors / characters;
      if (noise == 0) {
        assertThat(rate).isZero();
      } else {
        assertThat(rate)
            .as("character error rate at noise %s", noise)
            .isGreaterThan(previous + 0.005);
      }
      previous = rate;
    }
  }

  @Test
  void distractorsAppearOnlyWithNoise() {
    int distractors = 0;
    SyntheticGenerator generator = new SyntheticGenerator(spec(DocumentKind.RECEIPT, 21, 0.5, 100));
    for (int i = 0; i < 100; i++) {
      GeneratedExample example = generator.example(i);
      for (String distractor : example.distractors()) {
        distractors++;
        assertThat(example.cleanDocument()).contains(distractor);
        assertThat(example.stated().values()).doesNotContain(distractor);
      }
    }
    assertThat(distractors).as("about 0.4 distractors a field at noise 0.5").isGreaterThan(200);
    String text =
        new SyntheticGenerator(spec(DocumentKind.RECEIPT, 21, 0.5, 100)).example(0).cleanDocument();
    assertThat(text).isNotBlank();
  }

  @ParameterizedTest
  @EnumSource(DocumentKind.class)
  void everyDocumentKindRendersItsOwnShape(DocumentKind kind) {
    SyntheticGenerator generator = new SyntheticGenerator(spec(kind, 1, 0, 5));
    String document = generator.example(0).document();
    assertThat(document.lines().count()).isGreaterThan(3);
    assertThat(generator.systemPrompt())
        .contains(kind.noun())
        .contains("- payment_method (enum: one of \"cash\", \"card\", \"voucher\")");
    switch (kind) {
      case RECEIPT, INVOICE -> assertThat(document).containsPattern("[-=]{24,}");
      case EMAIL -> assertThat(document).contains("Subject: ");
      case CONTRACT_CLAUSE -> assertThat(document).containsPattern("(?m)^\\d+\\. [A-Z ]+$");
      case FREE_TEXT -> assertThat(document).doesNotContainPattern("[-=]{24,}");
    }
  }

  @Test
  void specProblemsNameTheField() {
    Map<List<FieldSpec>, String> cases =
        Map.of(
            List.of(new FieldSpec("status", FieldType.ENUM, "")),
                "Field 'status' is an enum: list its allowed values as examples",
            List.of(new FieldSpec("due", FieldType.DATE, "", List.of("next friday"))),
                "Example 'next friday' of field 'due' is not a date",
            List.of(new FieldSpec("total", FieldType.MONEY, "", List.of("lots"))),
                "Example 'lots' of field 'total' is not a number",
            List.of(new FieldSpec("2total", FieldType.MONEY, "")),
                "Field name '2total' must start with a letter",
            List.of(
                    new FieldSpec("a", FieldType.STRING, ""),
                    new FieldSpec("A", FieldType.STRING, "")),
                "Two fields are named 'A'",
            List.of(), "Add at least one field");
    cases.forEach(
        (fields, message) ->
            assertThat(new GenerationSpec(fields, DocumentKind.RECEIPT, 10, 1, 0).problem(1000))
                .startsWith(message));
    assertThat(spec(DocumentKind.RECEIPT, 1, 0, 1001).problem(1000))
        .isEqualTo("The row count must be between 1 and 1000; it is 1001");
    assertThat(spec(DocumentKind.RECEIPT, 1, 1.5, 10).problem(1000))
        .isEqualTo("The noise level must be between 0 and 1; it is 1.5");
    assertThat(spec(DocumentKind.RECEIPT, 1, 0.5, 10).problem(1000)).isNull();
  }

  @Test
  void examplesSteerValues() {
    GenerationSpec spec =
        new GenerationSpec(
            List.of(
                new FieldSpec("invoice_number", FieldType.ID, "", List.of("INV-2024-0042")),
                new FieldSpec("issued", FieldType.DATE, "", List.of("15.03.2024")),
                new FieldSpec("fee", FieldType.MONEY, "", List.of("100.00", "200.00")),
                new FieldSpec("status", FieldType.ENUM, "", List.of("paid", "open"))),
            DocumentKind.FREE_TEXT,
            50,
            8,
            0);
    SyntheticGenerator generator = new SyntheticGenerator(spec);
    List<String> statuses = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Map<String, String> stated = generator.example(i).stated();
      assertThat(stated.get("invoice_number")).matches("[A-Z]{3}-\\d{4}-\\d{4}");
      assertThat(stated.get("issued")).matches("\\d\\d\\.\\d\\d\\.\\d{4}");
      assertThat(Double.parseDouble(stated.get("fee"))).isBetween(100.0, 200.0);
      statuses.add(stated.get("status"));
    }
    assertThat(statuses).containsOnly("paid", "open").contains("paid", "open");
  }

  static int levenshtein(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
