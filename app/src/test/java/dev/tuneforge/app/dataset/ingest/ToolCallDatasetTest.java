package dev.tuneforge.app.dataset.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.DatasetInfo;
import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.ToolCall;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Tool-calling datasets as teams have them (fixtures in tools/): OpenAI's {@code tools}, {@code
 * tool_calls} and {@code tool} messages as JSONL and as a JSON array, LLaMA-Factory's ShareGPT with
 * {@code function_call} and {@code observation} turns; each kept whole, stored in OpenAI's form
 * that the trainer reads, or refused row by row with "tool call" in the reason.
 */
class ToolCallDatasetTest {

  private final ByteArrayOutputStream train = new ByteArrayOutputStream();
  private DatasetNormalizer normalizer = new DatasetNormalizer(null, false);

  private ValidationReport normalize(String fixture) throws IOException {
    normalizer = new DatasetNormalizer(null, false);
    try (InputStream in =
        Objects.requireNonNull(getClass().getResourceAsStream("tools/" + fixture), fixture)) {
      return normalizer.normalize(in, train, null);
    }
  }

  /** The stored rows, read back as the training node reads them. */
  private List<Conversation> stored() {
    List<Conversation> rows = new ArrayList<>();
    String[] lines = train.toString(StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < lines.length; i++) {
      rows.add(ChatDataset.parse(i + 1, lines[i]));
    }
    return rows;
  }

  /** Each fixture holds three rows that use tools, none of them wrong. */
  private static void assertAllKept(ValidationReport report, DatasetFormat format) {
    assertThat(report.problems()).isEmpty();
    assertThat(report.format()).isEqualTo(format);
    assertThat(report.rows()).isEqualTo(3);
  }

  @Test
  void openAiToolCallsAreKeptWithTheirResultsAndSchemas() throws IOException {
    assertAllKept(normalize("openai-tools.jsonl"), DatasetFormat.CHAT);
    List<Conversation> rows = stored();
    assertThat(rows).hasSize(3).allMatch(Conversation::usesTools);
    Conversation parallel = rows.getFirst();
    assertThat(parallel.tools()).hasSize(1);
    assertThat(parallel.messages().get(2).toolCalls())
        .containsExactly(
            new ToolCall("call_1", "get_weather", "{\"city\": \"Paris\"}"),
            new ToolCall("call_2", "get_weather", "{\"city\": \"Berlin\", \"unit\": \"celsius\"}"));
    assertThat(parallel.messages().get(3))
        .isEqualTo(new ChatMessage("tool", "{\"temp\": 21}", true, List.of(), "call_1", null));
    assertThat(rows.get(1).tools()).hasSize(2);
    assertThat(rows.get(1).messages().get(2).name()).isEqualTo("lookup_vendor");
    // A row may end on the call itself: the model learns to make it.
    assertThat(rows.get(2).messages().getLast().toolCalls()).hasSize(1);
    assertThat(normalizer.quality().toolCallRows()).isEqualTo(3);
    // A call's empty content is not an empty turn.
    assertThat(normalizer.quality().emptyTurns()).isZero();
  }

  @Test
  void aJsonArrayOfToolRowsIsStoredAsItsJsonlIs() throws IOException {
    normalize("openai-tools.jsonl");
    byte[] fromJsonl = train.toByteArray();
    train.reset();

    ValidationReport report = normalize("openai-tools-array.json");

    assertThat(report.problems()).isEmpty();
    assertThat(report.jsonArray()).isTrue();
    assertThat(report.rows()).isEqualTo(3);
    assertThat(train.toByteArray()).isEqualTo(fromJsonl);
  }

  @Test
  void shareGptFunctionCallsAndObservationsBecomeOpenAiToolUse() throws IOException {
    assertAllKept(normalize("sharegpt-function-call.jsonl"), DatasetFormat.SHAREGPT);
    String first = train.toString(StandardCharsets.UTF_8).split("\n")[0];
    assertThat(first)
        .isEqualTo(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"You are a weather assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"Weather in Rome?\"},"
                + "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"content\":\"{\\\"temp\\\": 25}\",\"name\":\"get_weather\"},"
                + "{\"role\":\"assistant\",\"content\":\"It is 25 °C in Rome.\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"description\":\"Current weather of a city\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]}");
    List<Conversation> rows = stored();
    assertThat(rows.get(1).messages().get(1).toolCalls())
        .extracting(ToolCall::name)
        .containsExactly("get_weather", "get_weather");
    // Declaring tools without calling one still needs them in the prompt.
    assertThat(rows.get(2).usesTools()).isTrue();
  }

  @Test
  void aDatasetInfoNamesTheToolsColumnAndTheToolTags() throws IOException {
    DatasetInfo info =
        DatasetInfo.parse(
            "{\"agent\": {\"file_name\": \"agent.json\", \"formatting\": \"sharegpt\","
                + " \"columns\": {\"messages\": \"dialog\", \"tools\": \"functions\"},"
                + " \"tags\": {\"role_tag\": \"role\", \"content_tag\": \"content\","
                + " \"user_tag\": \"user\", \"assistant_tag\": \"assistant\","
                + " \"function_tag\": \"tool_call\", \"observation_tag\": \"tool_result\"}}}",
            "agent.json");
    String rows =
        "[{\"dialog\": [{\"role\": \"user\", \"content\": \"Weather in Oslo?\"},"
            + " {\"role\": \"tool_call\", \"content\": \"{\\\"name\\\": \\\"get_weather\\\","
            + " \\\"arguments\\\": {\\\"city\\\": \\\"Oslo\\\"}}\"},"
            + " {\"role\": \"tool_result\", \"content\": \"rain\"},"
            + " {\"role\": \"assistant\", \"content\": \"It rains.\"}],"
            + " \"functions\": [{\"name\": \"get_weather\", \"parameters\": {}}]}]";
    normalizer = new DatasetNormalizer(null, false).mappedBy(info);

    ValidationReport report =
        normalizer.normalize(
            new java.io.ByteArrayInputStream(rows.getBytes(StandardCharsets.UTF_8)), train, null);

    assertThat(report.problems()).isEmpty();
    Conversation row = stored().getFirst();
    assertThat(row.messages())
        .extracting(ChatMessage::role)
        .containsExactly("user", "assistant", "tool", "assistant");
    assertThat(row.messages().get(1).toolCalls())
        .containsExactly(new ToolCall(null, "get_weather", "{\"city\":\"Oslo\"}"));
    assertThat(row.messages().get(2).name()).isEqualTo("get_weather");
    assertThat(row.tools()).hasSize(1);
  }

  @Test
  void malformedToolCallsAreRefusedRowByRow() throws IOException {
    ValidationReport report = normalize("malformed-tools.jsonl");

    assertThat(report.rows()).isEqualTo(1);
    assertThat(report.problems())
        .hasSize(3)
        .allMatch(problem -> problem.contains("tool call"))
        .satisfiesExactly(
            p ->
                assertThat(p)
                    .startsWith(
                        "line 2: message 2: tool call 1 (get_weather) has \"arguments\" that are"
                            + " not JSON"),
            p ->
                assertThat(p)
                    .isEqualTo("line 3: message 2 is a tool result without a tool call before it"),
            p ->
                assertThat(p)
                    .isEqualTo(
                        "line 4: message 2: tool call 1 names \"get_forecast\", which \"tools\""
                            + " does not declare (get_weather)"));
  }
}
