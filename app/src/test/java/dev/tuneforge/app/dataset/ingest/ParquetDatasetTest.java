package dev.tuneforge.app.dataset.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.dataset.CsvMapping;
import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet uploads, written by parquet-java with several row groups: a nested {@code messages}
 * column reads as chat, plain columns by the CSV-like mapping, and problems name the row.
 */
class ParquetDatasetTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream train = new ByteArrayOutputStream();
  private final ByteArrayOutputStream validation = new ByteArrayOutputStream();

  private ValidationReport normalize(
      Path file, @Nullable CsvMapping mapping, boolean dropInvalid, DatasetSplit split)
      throws IOException {
    train.reset();
    validation.reset();
    return new DatasetNormalizer(DatasetFormat.PARQUET, dropInvalid, false, mapping, split)
        .normalize(file, train, validation);
  }

  @Test
  void aMessagesColumnOfStructsReadsAsTheSameChatRowsAsJsonl() throws IOException {
    Path file = ParquetFixtures.chat(dir.resolve("chat.parquet"), 3000);
    assertThat(ParquetFixtures.rowGroups(file)).isGreaterThanOrEqualTo(3);
    DatasetSplit split = new DatasetSplit.Random(10, 42);

    ValidationReport report = normalize(file, null, false, split);

    assertThat(report.valid()).as(report.summary()).isTrue();
    assertThat(report.format()).isEqualTo(DatasetFormat.PARQUET);
    assertThat(report.formatId()).isEqualTo("parquet");
    assertThat(report.rows()).isEqualTo(3000);
    String parquetTrain = train.toString(StandardCharsets.UTF_8);
    String parquetValidation = validation.toString(StandardCharsets.UTF_8);
    train.reset();
    validation.reset();
    new DatasetNormalizer(null, false, false, null, split)
        .normalize(
            new ByteArrayInputStream(
                ParquetFixtures.chatJsonl(3000).getBytes(StandardCharsets.UTF_8)),
            train,
            validation);
    assertThat(parquetTrain).isEqualTo(train.toString(StandardCharsets.UTF_8));
    assertThat(parquetValidation)
        .isEqualTo(validation.toString(StandardCharsets.UTF_8))
        .isNotEmpty();
  }

  @Test
  void aBadMessageIsNamedByItsRow() throws IOException {
    Path file =
        ParquetFixtures.write(
            dir.resolve("bad.parquet"),
            ParquetFixtures.CHAT,
            1200,
            (i, row) -> {
              row.append("id", (long) i);
              ParquetFixtures.message(row, "user", "q" + i);
              ParquetFixtures.message(row, i == 1100 ? "bot" : "assistant", "a" + i);
            });

    ValidationReport refused = normalize(file, null, false, DatasetSplit.none());
    ValidationReport dropped = normalize(file, null, true, DatasetSplit.none());

    assertThat(refused.accepted()).isFalse();
    assertThat(refused.problems())
        .containsExactly(
            "row 1101 (index 1100): message 2 has role \"bot\"; expected system, user, assistant or tool");
    assertThat(dropped.accepted()).isTrue();
    assertThat(dropped.rows()).isEqualTo(1199);
  }

  @Test
  void plainColumnsAreMappedAsCsvColumnsAre() throws IOException {
    Path file =
        ParquetFixtures.write(
            dir.resolve("qa.parquet"),
            ParquetFixtures.COLUMNS,
            2500,
            (i, row) -> {
              row.append("question", "What is the total of receipt " + i + "?");
              if (i != 6) {
                row.append("answer", "RM " + i);
              }
              row.append("split", i % 5 == 0 ? "validation" : "train");
              row.append("score", i);
            });
    assertThat(ParquetFixtures.rowGroups(file)).isGreaterThanOrEqualTo(2);
    assertThat(ParquetFixtures.columnsOf(file))
        .containsExactly("question", "answer", "split", "score");

    ValidationReport guessed = normalize(file, null, false, DatasetSplit.none());
    assertThat(guessed.problems())
        .containsExactly("row 7 (index 6): the \"answer\" cell (column 2) is empty");

    ValidationReport mapped =
        normalize(
            file,
            new CsvMapping("score", "question", null, "Answer in Malay."),
            false,
            new DatasetSplit.ByField("split"));
    assertThat(mapped.valid()).as(mapped.summary()).isTrue();
    assertThat(mapped.rows()).isEqualTo(2500);
    assertThat(validation.toString(StandardCharsets.UTF_8).lines()).hasSize(500);
    assertThat(train.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow())
        .isEqualTo(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Answer in Malay.\"},"
                + "{\"role\":\"user\",\"content\":\"1\"},"
                + "{\"role\":\"assistant\",\"content\":\"What is the total of receipt 1?\"}]}");

    ValidationReport unmapped =
        normalize(file, new CsvMapping("question", "reply"), false, DatasetSplit.none());
    assertThat(unmapped.problems())
        .containsExactly(
            "no column \"reply\" (for the assistant) in the header; it has \"question\", \"answer\","
                + " \"split\", \"score\"");
  }

  @Test
  void aFileThatIsNotParquetIsRefusedAsAWhole() throws IOException {
    Path file = Files.writeString(dir.resolve("fake.parquet"), "question,answer\nq,a\n");

    ValidationReport report = normalize(file, null, true, DatasetSplit.none());

    assertThat(report.accepted()).isFalse();
    assertThat(report.problems()).hasSize(1);
    assertThat(report.problems().getFirst())
        .startsWith("the file is not a Parquet file that can be read (");
  }
}
