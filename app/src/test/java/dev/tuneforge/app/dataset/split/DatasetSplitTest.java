package dev.tuneforge.app.dataset.split;

import static dev.tuneforge.app.SharedFiles.locate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.dataset.CsvMapping;
import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.DatasetUploadOptions;
import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.app.dataset.ingest.DatasetNormalizer;
import dev.tuneforge.app.dataset.ingest.NormalizedUpload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dividing an upload into training and validation rows, on the SROIE receipts. */
class DatasetSplitTest {
  private static final Path SROIE = locate("shared/datasets/sroie/train.jsonl");
  private static final Path SROIE_VALIDATION = locate("shared/datasets/sroie/validation.jsonl");

  @TempDir Path dir;

  /** The training and validation rows a split gives, as written. */
  private record Sides(ValidationReport report, List<String> train, List<String> validation) {}

  private static Sides split(Path file, DatasetFormat format, DatasetSplit split)
      throws IOException {
    ByteArrayOutputStream train = new ByteArrayOutputStream();
    ByteArrayOutputStream validation = new ByteArrayOutputStream();
    DatasetNormalizer normalizer = new DatasetNormalizer(format, false, false, null, split);
    ValidationReport report;
    try (InputStream in = Files.newInputStream(file)) {
      report = normalizer.normalize(in, train, validation);
    }
    Sides sides = new Sides(report, lines(train), lines(validation));
    assertThat(normalizer.validationRows()).isEqualTo(sides.validation().size());
    return sides;
  }

  private static List<String> lines(ByteArrayOutputStream out) {
    String text = out.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  @Test
  void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() throws IOException {
    Sides first = split(SROIE, null, new DatasetSplit.Random(20, 42));
    Sides again = split(SROIE, null, new DatasetSplit.Random(20, 42));
    Sides other = split(SROIE, null, new DatasetSplit.Random(20, 7));
    assertThat(first.report().valid()).isTrue();
    assertThat(first.train().size() + first.validation().size()).isEqualTo(450);
    assertThat(again.validation()).isEqualTo(first.validation());
    assertThat(again.train()).isEqualTo(first.train());
    assertThat(other.validation()).isNotEqualTo(first.validation());
    Set<String> overlap = new HashSet<>(first.train());
    overlap.retainAll(first.validation());
    assertThat(overlap).as("no row is on both sides").isEmpty();
  }

  @Test
  void theValidationShareIsHonoured() {
    for (double percent : new double[] {5, 10, 20, 50}) {
      for (long seed = 1; seed <= 5; seed++) {
        DatasetSplit.Random random = new DatasetSplit.Random(percent, seed);
        int validation = 0;
        int rows = 20_000;
        for (int position = 1; position <= rows; position++) {
          validation += random.validation(position) ? 1 : 0;
        }
        // Binomial: 4 standard deviations of 20,000 draws are at most 1.4 percentage points.
        assertThat(100.0 * validation / rows)
            .as(percent + "% with seed " + seed)
            .isCloseTo(percent, org.assertj.core.data.Offset.offset(1.5));
      }
    }
  }

  @Test
  void aShareOutsideZeroToHundredIsRefused() {
    assertThatThrownBy(() -> new DatasetSplit.Random(0, 1))
        .hasMessageContaining("between 0 and 100");
    assertThatThrownBy(() -> new DatasetSplit.Random(100, 1))
        .hasMessageContaining("between 0 and 100");
  }

  @Test
  void aTopLevelFieldNamesEachRowsSide() throws IOException {
    List<String> rows = Files.readAllLines(SROIE).subList(0, 10);
    StringBuilder tagged = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      tagged
          .append(
              rows.get(i)
                  .replaceFirst(
                      "^\\{", "{\"part\": \"" + (i % 5 == 0 ? "Validation" : "train") + "\", "))
          .append('\n');
    }
    Path file = Files.writeString(dir.resolve("tagged.jsonl"), tagged);
    Sides sides = split(file, null, new DatasetSplit.ByField("part"));
    assertThat(sides.report().valid()).as(sides.report().summary()).isTrue();
    assertThat(sides.train()).hasSize(8);
    assertThat(sides.validation()).hasSize(2);
    assertThat(sides.validation().getFirst())
        .as("the split field is not part of the conversation")
        .doesNotContain("part");
  }

  @Test
  void aRowWithoutOrWithAnUnknownSplitValueIsNamed() throws IOException {
    String row = "{\"prompt\":\"q\",\"completion\":\"a\"";
    Path file =
        Files.writeString(
            dir.resolve("bad.jsonl"),
            row
                + ",\"split\":\"train\"}\n"
                + row
                + "}\n"
                + row
                + ",\"split\":\"test\"}\n"
                + row
                + ",\"split\":3}\n");
    Sides sides = split(file, null, new DatasetSplit.ByField("split"));
    assertThat(sides.report().problems())
        .containsExactly(
            "line 2: missing the \"split\" field (train or validation)",
            "line 3: \"split\" is \"test\"; expected train or validation",
            "line 4: missing the \"split\" field (train or validation)");
  }

  @Test
  void aCsvSplitColumnNamesEachRowsSide() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("split.csv"),
            "q,a,set\none,1,train\ntwo,2,validation\nthree,3,TRAIN\nfour,4,\n");
    ByteArrayOutputStream train = new ByteArrayOutputStream();
    ByteArrayOutputStream validation = new ByteArrayOutputStream();
    DatasetNormalizer normalizer =
        new DatasetNormalizer(
            DatasetFormat.CSV,
            true,
            false,
            new CsvMapping("q", "a"),
            new DatasetSplit.ByField("set"));
    ValidationReport report = normalizer.normalize(Files.newInputStream(file), train, validation);
    assertThat(report.problems())
        .containsExactly("line 5: the \"set\" cell is empty; expected train or validation");
    assertThat(lines(train)).hasSize(2);
    assertThat(lines(validation)).singleElement().asString().contains("two");
  }

  @Test
  void aSeparateValidationFileIsReadOnItsOwnAndItsProblemsNameIt() throws IOException {
    Path train = Files.copy(SROIE, dir.resolve("train.jsonl"));
    try (NormalizedUpload read =
        NormalizedUpload.read(
            "train.jsonl",
            train,
            DatasetUploadOptions.defaults()
                .withSplit(new DatasetSplit.SeparateFile("validation.jsonl", SROIE_VALIDATION)))) {
      assertThat(read.report().valid()).isTrue();
      assertThat(read.trainRows()).isEqualTo(450);
      assertThat(read.validationRows()).isEqualTo(50);
      assertThat(Files.readAllLines(read.validation())).hasSize(50);
    }

    Path broken =
        Files.writeString(
            dir.resolve("held-out.jsonl"),
            Files.readAllLines(SROIE_VALIDATION).getFirst() + "\n{\"messages\": []}\n");
    try (NormalizedUpload read =
        NormalizedUpload.read(
            "train.jsonl",
            train,
            DatasetUploadOptions.defaults()
                .withSplit(new DatasetSplit.SeparateFile("held-out.jsonl", broken)))) {
      assertThat(read.report().accepted()).isFalse();
      assertThat(read.report().problems())
          .containsExactly("held-out.jsonl, line 2: \"messages\" is empty");
    }
  }

  @Test
  void aSeparateCsvValidationFileUsesTheSameMapping() throws IOException {
    Path train = Files.writeString(dir.resolve("train.csv"), "q,a\none,1\ntwo,2\n");
    Path validation = Files.writeString(dir.resolve("val.csv"), "a,q\n3,three\n,four\n");
    DatasetUploadOptions options =
        DatasetUploadOptions.defaults()
            .withCsv(new CsvMapping("q", "a"))
            .withSplit(new DatasetSplit.SeparateFile("val.csv", validation));
    try (NormalizedUpload read = NormalizedUpload.read("train.csv", train, options)) {
      assertThat(read.report().problems())
          .containsExactly("val.csv, line 3: the \"a\" cell (column 1) is empty");
    }
  }
}
