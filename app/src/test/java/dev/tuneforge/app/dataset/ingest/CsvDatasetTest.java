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
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** CSV uploads: RFC 4180 quoting, problems named by line, and columns mapped to turns. */
class CsvDatasetTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final CsvMapping QA = new CsvMapping("question", "answer");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private ValidationReport normalize(@Nullable CsvMapping mapping, boolean dropInvalid, String csv)
      throws IOException {
    out.reset();
    return new DatasetNormalizer(
            DatasetFormat.CSV, dropInvalid, false, mapping, DatasetSplit.none())
        .normalize(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), out);
  }

  private List<JsonNode> written() {
    String text = out.toString(StandardCharsets.UTF_8);
    return text.isEmpty()
        ? List.of()
        : List.of(text.split("\n")).stream().map(JSON::readTree).toList();
  }

  private static String turn(JsonNode row, int i) {
    return row.get("messages").get(i).get("role").asString()
        + ": "
        + row.get("messages").get(i).get("content").asString();
  }

  @Test
  void quotedFieldsKeepCommasQuotesAndNewlines() throws IOException {
    ValidationReport report =
        normalize(
            QA,
            false,
            "question,answer\r\n"
                + "\"Total, please\",\"{\"\"total\"\": \"\"9.00\"\"}\"\r\n"
                + "\"line one\nline two\",plain\n"
                + "simple,x\n");
    assertThat(report.valid()).as(report.summary()).isTrue();
    assertThat(report.format()).isEqualTo(DatasetFormat.CSV);
    List<JsonNode> rows = written();
    assertThat(rows).hasSize(3);
    assertThat(turn(rows.get(0), 0)).isEqualTo("user: Total, please");
    assertThat(turn(rows.get(0), 1)).isEqualTo("assistant: {\"total\": \"9.00\"}");
    assertThat(turn(rows.get(1), 0)).isEqualTo("user: line one\nline two");
    assertThat(turn(rows.get(2), 1)).isEqualTo("assistant: x");
  }

  @Test
  void aByteOrderMarkAndBlankLinesAreIgnored() throws IOException {
    ValidationReport report = normalize(QA, false, "\uFEFFquestion,answer\n\nq,a\n\n");
    assertThat(report.rows()).isEqualTo(1);
    assertThat(report.valid()).isTrue();
  }

  @Test
  void rowProblemsNameTheLineWhereTheRecordStarts() throws IOException {
    ValidationReport report =
        normalize(
            QA,
            false,
            "question,answer\n"
                + "\"multi\nline\",fine\n" // lines 2-3
                + "one,two,three\n" // line 4
                + ",empty question\n" // line 5
                + "a\"b,c\n" // line 6
                + "\"closed\"junk,c\n" // line 7
                + "only one\n"); // line 8
    assertThat(report.rows()).isEqualTo(1);
    assertThat(report.problems())
        .containsExactly(
            "line 4: has 3 columns; the header has 2",
            "line 5: the \"question\" cell (column 1) is empty",
            "line 6: a quote inside an unquoted field (column 1); quote the whole field and double the quote",
            "line 7: text after the closing quote of column 1",
            "line 8: has 1 columns; the header has 2");
    assertThat(written()).as("a refused file writes nothing after its first problem").hasSize(1);
  }

  @Test
  void anUnterminatedQuoteIsTheFilesProblemAndIsNeverDropped() throws IOException {
    ValidationReport report = normalize(QA, true, "question,answer\nq,a\n\"never closed,a\nmore\n");
    assertThat(report.problems())
        .containsExactly(
            "line 3: a quoted field (column 1) is never closed; the file ends inside it");
    assertThat(report.accepted()).isFalse();
  }

  @Test
  void droppingInvalidRowsKeepsTheOthers() throws IOException {
    ValidationReport report = normalize(QA, true, "question,answer\nq1,a1\nq2,\nq3,a3\n");
    assertThat(report.accepted()).isTrue();
    assertThat(report.droppedRows()).isEqualTo(1);
    assertThat(written()).hasSize(2);
  }

  @Test
  void aSystemColumnOrAConstantSystemPromptBecomesTheSystemTurn() throws IOException {
    normalize(
        new CsvMapping("in", "out", "sys", null), false, "sys,in,out\nBe brief.,q,a\n,q2,a2\n");
    assertThat(written()).extracting(r -> r.get("messages").size()).containsExactly(3, 2);
    assertThat(turn(written().get(0), 0)).isEqualTo("system: Be brief.");

    normalize(new CsvMapping("in", "out", null, "Extract the total."), false, "in,out\nq,a\n");
    assertThat(turn(written().get(0), 0)).isEqualTo("system: Extract the total.");
  }

  @Test
  void withoutAMappingTheColumnsAreGuessedFromTheirNames() throws IOException {
    ValidationReport report = normalize(null, false, "id,Prompt,Completion\n1,q,a\n");
    assertThat(report.valid()).isTrue();
    assertThat(turn(written().getFirst(), 1)).isEqualTo("assistant: a");

    report = normalize(null, false, "left,right\nq,a\n");
    assertThat(report.problems())
        .containsExactly(
            "choose the columns that hold the user turn and the assistant turn; the header has \"left\", \"right\"");
  }

  @Test
  void aMappingToAMissingColumnNamesTheHeader() throws IOException {
    ValidationReport report =
        normalize(new CsvMapping("question", "reply"), true, "question,answer\nq,a\n");
    assertThat(report.accepted()).isFalse();
    assertThat(report.problems())
        .containsExactly(
            "no column \"reply\" (for the assistant) in the header; it has \"question\", \"answer\"");
  }

  @Test
  void textThatIsNotUtf8IsRefused() throws IOException {
    byte[] latin1 = "question,answer\nq,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    ValidationReport report =
        new DatasetNormalizer(DatasetFormat.CSV, true, false, QA, DatasetSplit.none())
            .normalize(new ByteArrayInputStream(latin1), out);
    assertThat(report.accepted()).isFalse();
    assertThat(report.problems()).containsExactly("line 2: the file is not UTF-8 text");
  }

  @Test
  void anEmptyFileHasNoHeader() throws IOException {
    assertThat(normalize(QA, false, "").problems())
        .containsExactly("the file is empty: it has no header");
    assertThat(normalize(QA, false, "question,answer\n").problems())
        .containsExactly("the file is empty: it has no conversations");
  }

  @Test
  void aRecordOverTheLimitIsRefusedWithoutBeingHeldWhole() throws IOException {
    byte[] csv =
        ("question,answer\nq,\"" + "x".repeat(100) + "\n").getBytes(StandardCharsets.UTF_8);
    try (CsvReader records = new CsvReader(new ByteArrayInputStream(csv), 40)) {
      assertThat(records.next()).isTrue();
      org.assertj.core.api.Assertions.assertThatThrownBy(records::next)
          .isInstanceOf(CsvReader.Broken.class)
          .hasMessage(
              "line 2: a quoted field (column 2) takes the record past 40 characters; is its closing quote missing?");
    }
  }
}
