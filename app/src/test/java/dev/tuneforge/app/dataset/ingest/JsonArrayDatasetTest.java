package dev.tuneforge.app.dataset.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.DatasetInfo;
import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON arrays of rows, pretty-printed as the fine-tuning tools write them: read element by element
 * into exactly the rows (and split) that the same rows as JSONL give, problems named by the row's
 * place in the array, and a JSON object that is not rows explained.
 */
class JsonArrayDatasetTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One row of each layout per function, with nested objects and non-ASCII text beside. */
  private static final List<java.util.function.IntFunction<String>> LAYOUTS =
      List.of(
          i ->
              "{\"id\":"
                  + i
                  + ",\"meta\":{\"source\":{\"file\":\"r"
                  + i
                  + ".txt\",\"pages\":[1,2]}},\"messages\":[{\"role\":\"system\",\"content\":\"Extract the total.\"},"
                  + "{\"role\":\"user\",\"content\":\"Café receipt "
                  + i
                  + " — 東京 €12.50\\nline two 😀\"},"
                  + "{\"role\":\"assistant\",\"content\":\"{\\\"total\\\": \\\""
                  + i
                  + ".00\\\"}\",\"weight\":1}]}",
          i ->
              "{\"instruction\":\"Extract the total\",\"input\":\"receipt "
                  + i
                  + "\",\"output\":\"{\\\"total\\\": "
                  + i
                  + "}\",\"tags\":{\"lang\":\"en\",\"scores\":[0.5,{\"x\":null}]}}",
          i ->
              "{\"system\":\"Be brief.\",\"conversations\":[{\"from\":\"human\",\"value\":\"q"
                  + i
                  + "\"},{\"from\":\"gpt\",\"value\":\"a"
                  + i
                  + "\",\"extra\":{\"k\":[1]}}]}",
          i -> "{\"prompt\":\"p" + i + "\",\"completion\":\"c" + i + "\"}");

  private final ByteArrayOutputStream train = new ByteArrayOutputStream();
  private final ByteArrayOutputStream validation = new ByteArrayOutputStream();

  private ValidationReport normalize(
      String text, boolean dropInvalid, DatasetSplit split, @Nullable DatasetInfo info)
      throws IOException {
    train.reset();
    validation.reset();
    return new DatasetNormalizer(null, dropInvalid, false, null, split)
        .mappedBy(info)
        .normalize(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), train, validation);
  }

  /** The rows as a JSON array, pretty-printed with two-space indents as Python's json.dump does. */
  private static String prettyArray(List<String> rows) {
    List<String> pretty = new ArrayList<>();
    for (String row : rows) {
      pretty.add(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(row)));
    }
    return "[\n" + String.join(",\n", pretty) + "\n]\n";
  }

  @Test
  void everyLayoutAsAPrettyArrayGivesTheRowsAndSplitOfTheSameJsonl() throws IOException {
    DatasetSplit split = new DatasetSplit.Random(20, 7);
    for (var layout : LAYOUTS) {
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        rows.add(layout.apply(i));
      }
      ValidationReport lines = normalize(String.join("\n", rows) + "\n", false, split, null);
      String expectedTrain = train.toString(StandardCharsets.UTF_8);
      String expectedValidation = validation.toString(StandardCharsets.UTF_8);
      assertThat(lines.valid()).as(lines.summary()).isTrue();

      ValidationReport array = normalize(prettyArray(rows), false, split, null);

      assertThat(array.valid()).as(array.summary()).isTrue();
      assertThat(array.rows()).isEqualTo(300);
      assertThat(array.format()).isEqualTo(lines.format());
      assertThat(array.jsonArray()).isTrue();
      assertThat(array.formatId()).isEqualTo(lines.format().id().replace("-jsonl", "-json"));
      assertThat(train.toString(StandardCharsets.UTF_8)).isEqualTo(expectedTrain);
      assertThat(validation.toString(StandardCharsets.UTF_8))
          .isEqualTo(expectedValidation)
          .isNotEmpty();
    }
  }

  @Test
  void rowProblemsNameTheRowsIndexAndTheFieldNotALineOfThePrettyPrint() throws IOException {
    String text =
        prettyArray(
            List.of(
                "{\"instruction\":\"a\",\"output\":\"b\"}",
                "{\"instruction\":\"a\"}",
                "{\"instruction\":\"a\",\"output\":{\"nested\":true}}",
                "\"just text\"",
                "{\"instruction\":\"a\",\"output\":\"b\"}"));

    ValidationReport report = normalize(text, false, DatasetSplit.none(), null);

    assertThat(report.accepted()).isFalse();
    assertThat(report.problems())
        .containsExactly(
            "row 2 (index 1): missing \"output\"",
            "row 3 (index 2): \"output\" is not text",
            "row 4 (index 3): expected a JSON object with \"instruction\" and \"output\"");

    ValidationReport dropped = normalize(text, true, DatasetSplit.none(), null);
    assertThat(dropped.accepted()).isTrue();
    assertThat(dropped.rows()).isEqualTo(2);
    assertThat(dropped.droppedRows()).isEqualTo(3);
  }

  @Test
  void aSyntaxErrorNamesTheRowAndWhereInTheFileAndRefusesTheFile() throws IOException {
    String text =
        "[\n  {\"prompt\": \"p\", \"completion\": \"c\"},\n  {\"prompt\": \"p\" \"x\"}\n]";

    ValidationReport report = normalize(text, true, DatasetSplit.none(), null);

    assertThat(report.accepted()).as("a broken document is never dropped").isFalse();
    assertThat(report.problems()).hasSize(1);
    assertThat(report.problems().getFirst())
        .startsWith("row 2 (index 1, line 3, column ")
        .contains("not valid JSON (")
        .endsWith("the rest of the file cannot be read");

    ValidationReport unclosed =
        normalize("[{\"prompt\":\"p\",\"completion\":\"c\"},", true, DatasetSplit.none(), null);
    assertThat(unclosed.accepted()).isFalse();
    assertThat(unclosed.problems().getFirst()).startsWith("row 2 (index 1");

    ValidationReport twoArrays =
        normalize(
            "[{\"prompt\":\"p\",\"completion\":\"c\"}]\n[{\"prompt\":\"p\",\"completion\":\"c\"}]",
            true,
            DatasetSplit.none(),
            null);
    assertThat(twoArrays.accepted()).isFalse();
    assertThat(twoArrays.problems().getFirst())
        .isEqualTo(
            "after the array's closing ] the file goes on (line 2, column 1): a file holds one array of rows");
  }

  @Test
  void aPrettyPrintedObjectIsExplainedNotReportedLineByLine() throws IOException {
    ValidationReport single =
        normalize(
            "{\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"q\"}\n  ]\n}\n",
            false,
            DatasetSplit.none(),
            null);
    assertThat(single.problems())
        .containsExactly(
            "the file is one JSON object over several lines (a single row with \"messages\"): put"
                + " each row on a line of its own (JSONL) or the rows in a JSON array [{…}, {…}]");

    ValidationReport wrapped =
        normalize(
            "{\n  \"version\": 2,\n  \"data\": [\n    {\"prompt\": \"p\"},\n    {\"prompt\": \"q\"}\n  ]\n}",
            false,
            DatasetSplit.none(),
            null);
    assertThat(wrapped.problems())
        .containsExactly(
            "the file is one JSON object with \"version\", \"data\" (\"data\" holds an array of 2),"
                + " not rows: upload JSONL (one row per line) or a JSON array of rows [{…}, {…}]");

    ValidationReport info =
        normalize(
            "{\n  \"receipts\": {\n    \"file_name\": \"receipts.json\",\n    \"formatting\": \"alpaca\"\n  }\n}",
            false,
            DatasetSplit.none(),
            null);
    assertThat(info.problems())
        .containsExactly(
            "this is a dataset_info.json (a description of 1 datasets), not rows: upload it"
                + " first, then the data file it describes");
  }

  @Test
  void aSplitFieldOfEachRowIsRead() throws IOException {
    String text =
        "[{\"prompt\":\"p1\",\"completion\":\"c\",\"split\":\"train\"},"
            + "{\"prompt\":\"p2\",\"completion\":\"c\",\"split\":\"validation\"},"
            + "{\"prompt\":\"p3\",\"completion\":\"c\",\"split\":\"test\"}]";

    ValidationReport report = normalize(text, true, new DatasetSplit.ByField("split"), null);

    assertThat(report.rows()).isEqualTo(2);
    assertThat(validation.toString(StandardCharsets.UTF_8)).contains("p2");
    assertThat(report.problems())
        .containsExactly("row 3 (index 2): \"split\" is \"test\"; expected train or validation");
  }

  @Test
  void llamaFactoryAlpacaColumnsAndHistoryAreRead() throws IOException {
    DatasetInfo info =
        DatasetInfo.parse(
            """
            {"receipts": {"file_name": "receipts.json",
              "columns": {"prompt": "question", "query": "context", "response": "answer",
                          "system": "sys", "history": "earlier"}},
             "other": {"file_name": "other.json"}}
            """,
            "receipts.json");
    String text =
        "[{\"question\":\"Total?\",\"context\":\"RM 9\",\"answer\":\"9\",\"sys\":\"Be exact.\","
            + "\"earlier\":[[\"Shop?\",\"ACME\"]]},"
            + "{\"question\":\"Total?\",\"answer\":\"1\"},"
            + "{\"question\":\"Total?\",\"output\":\"1\"},"
            + "{\"question\":\"Total?\",\"answer\":\"1\",\"earlier\":[[\"only one\"]]}]";

    ValidationReport report = normalize(text, true, DatasetSplit.none(), info);

    assertThat(report.format()).isEqualTo(DatasetFormat.ALPACA);
    assertThat(report.rows()).isEqualTo(2);
    assertThat(report.problems())
        .containsExactly(
            "row 3 (index 2): missing \"answer\"",
            "row 4 (index 3): \"earlier\" item 1 has 1 texts; expected [prompt, response]");
    JsonNode first = JSON.readTree(train.toString(StandardCharsets.UTF_8).split("\n")[0]);
    assertThat(first.get("messages").toString())
        .isEqualTo(
            "[{\"role\":\"system\",\"content\":\"Be exact.\"},{\"role\":\"user\",\"content\":\"Shop?\"},"
                + "{\"role\":\"assistant\",\"content\":\"ACME\"},{\"role\":\"user\",\"content\":\"Total?\\n\\nRM 9\"},"
                + "{\"role\":\"assistant\",\"content\":\"9\"}]");
  }

  @Test
  void llamaFactoryShareGptTagsMapOpenAiStyleMessages() throws IOException {
    DatasetInfo info =
        DatasetInfo.parse(
            """
            {"formatting": "sharegpt",
             "columns": {"messages": "messages", "system": "system"},
             "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user",
                      "assistant_tag": "assistant", "system_tag": "system"}}
            """,
            null);
    String text =
        "[{\"system\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]},"
            + "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"bot\",\"content\":\"a\"}]},"
            + "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}]";

    ValidationReport report = normalize(text, true, DatasetSplit.none(), info);

    assertThat(report.format()).isEqualTo(DatasetFormat.SHAREGPT);
    assertThat(report.rows()).isEqualTo(1);
    assertThat(report.problems())
        .containsExactly(
            "row 2 (index 1): turn 2 has \"role\" \"bot\"; expected user, assistant, system, function_call or observation",
            "row 3 (index 2): no assistant turn to learn from");
    assertThat(train.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\"}]}\n");
  }

  @Test
  void aDatasetInfoThatDoesNotFitIsRefusedWithItsReason() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DatasetInfo.parse("{\"a\": {\"file_name\": \"a.json\"}, \"b\": {}}", "c.json"))
        .hasMessage(
            "dataset_info.json describes 2 datasets (a, b) and none has \"file_name\": \"c.json\"");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DatasetInfo.parse("{\"formatting\": \"openai\"}", null))
        .hasMessage(
            "dataset_info.json, \"dataset\" has \"formatting\": \"openai\"; expected alpaca or sharegpt");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DatasetInfo.parse("{\"columns\": {\"images\": \"img\"}}", null))
        .hasMessage(
            "dataset_info.json, \"dataset\" maps \"images\"; only text conversations are read, not images");
  }
}
