package dev.tuneforge.app.evaluation;

import static dev.tuneforge.app.evaluation.EvaluationScoresTest.SUMMARY;
import static dev.tuneforge.app.evaluation.EvaluationScoresTest.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.chat.ToolCall;
import dev.tuneforge.modelformat.fixtures.RealTokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Tool-calling answers are scored on their calls, not on the tags a chat template wraps them in:
 * the expected answer as the node writes it (the call's JSON, {@code EvaluationCaseToolsTest}) and
 * a model's answer in Qwen3's or Llama 3.1's syntax match exactly and field by field.
 */
class ToolCallScoringTest {
  /** The expected answer of a turn calling get_weather for Rome, as the node writes it. */
  private static final String EXPECTED =
      "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}";

  private static final List<Map<String, Object>> TOOLS =
      List.of(
          Map.of(
              "type",
              "function",
              "function",
              Map.of(
                  "name",
                  "get_weather",
                  "description",
                  "The weather in a city",
                  "parameters",
                  Map.of(
                      "type",
                      "object",
                      "properties",
                      Map.of("city", Map.of("type", "string")),
                      "required",
                      List.of("city")))));

  @Test
  void qwen3AndLlamaStyleAnswersMatchTheExpectedCall() {
    String qwen3 =
        "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}\n</tool_call>";
    String llama = "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Rome\"}}";
    EvaluationScores scores =
        EvaluationScores.compute(List.of(example(0, EXPECTED, qwen3, llama)), SUMMARY);

    assertThat(scores.kind()).isEqualTo(EvaluationScores.Kind.EXTRACTION);
    for (ModelMetrics model : List.of(scores.base(), scores.tuned())) {
      assertThat(model.textMatch()).isEqualTo(1.0);
      assertThat(model.objectMatch()).isEqualTo(1.0);
      assertThat(model.microF1()).isEqualTo(1.0);
    }
    assertThat(scores.fieldsByPath()).containsKeys("name", "arguments.city");
  }

  @Test
  void aWrongArgumentIsStillAWrongField() {
    String wrong =
        "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>";
    EvaluationScores scores =
        EvaluationScores.compute(List.of(example(0, EXPECTED, wrong, EXPECTED)), SUMMARY);

    assertThat(scores.base().objectMatch()).isZero();
    assertThat(scores.base().microF1()).isEqualTo(0.5);
    assertThat(scores.tuned().objectMatch()).isEqualTo(1.0);
  }

  /**
   * A turn that says a line and calls a tool is scored field by field, as evaluation during
   * training scores it ({@code FieldF1SampleTest}): its text, the function's name and each argument
   * are fields, so one wrong argument of four fields gives 0.75, not the plain-text comparison a
   * line of text before the call used to force on the whole evaluation.
   */
  @Test
  void aCallAfterALineOfTextIsScoredByItsFields() {
    String expected =
        "Checking the weather.\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\","
            + " \"unit\": \"celsius\"}}";
    String wrongUnit =
        "Checking the weather.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\":"
            + " \"Rome\", \"unit\": \"fahrenheit\"}}\n</tool_call>";
    EvaluationScores scores =
        EvaluationScores.compute(List.of(example(0, expected, wrongUnit, expected)), SUMMARY);

    assertThat(scores.kind()).isEqualTo(EvaluationScores.Kind.EXTRACTION);
    assertThat(scores.fieldsByPath())
        .containsOnlyKeys("content", "name", "arguments.city", "arguments.unit");
    // content, name, arguments.city right; arguments.unit wrong (FP + FN): 2·3 / (2·3 + 2)
    assertThat(scores.base().microF1()).isEqualTo(0.75);
    assertThat(scores.base().objectMatch()).isZero();
    assertThat(scores.tuned().microF1()).isEqualTo(1.0);
  }

  @Test
  void severalCallsAreScoredCallByCall() {
    String expected =
        "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n"
            + "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}";
    String oneWrong =
        "<tool_call>\n"
            + "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n"
            + "</tool_call>\n"
            + "<tool_call>\n"
            + "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Milan\"}}\n"
            + "</tool_call>";
    EvaluationScores scores =
        EvaluationScores.compute(List.of(example(0, expected, oneWrong, expected)), SUMMARY);

    assertThat(scores.fieldsByPath())
        .containsOnlyKeys(
            "calls[0].name", "calls[0].arguments.city", "calls[1].name", "calls[1].arguments.city");
    // three of four right, calls[1].arguments.city wrong: 2·3 / (2·3 + 2)
    assertThat(scores.base().microF1()).isEqualTo(0.75);
    assertThat(scores.tuned().microF1()).isEqualTo(1.0);
  }

  /**
   * Qwen3's real chat template writes the assistant's call (with its empty reasoning block); that
   * text, as the model would generate it, scores as the expected call. (The Llama tokenizer at hand
   * carries Llama 3's template, which renders no tools: the Llama 3.1 shape is the hand-written one
   * above, as Meta's documentation gives it.)
   */
  @Test
  void aCallAsQwen3sRealTemplateWritesItMatches() throws IOException {
    Optional<Path> qwen3 = RealTokenizers.QWEN3.findOrFailWhereRequired();
    assumeTrue(qwen3.isPresent(), "needs bin/fetch-tokenizers");
    ChatTemplate template = ChatTemplate.load(qwen3.get());
    List<ChatMessage> prompt = List.of(ChatMessage.of("user", "Weather in Rome?"));
    ChatMessage call =
        new ChatMessage(
            "assistant",
            "",
            true,
            List.of(new ToolCall("call_1", "get_weather", "{\"city\": \"Rome\"}")),
            null,
            null);
    String before = template.render(prompt, TOOLS, true);
    String after = template.render(List.of(prompt.getFirst(), call), TOOLS, false);
    assertThat(after).startsWith(before);
    String generated = after.substring(before.length()).replace(template.eosToken(), "");
    generated = generated.replaceAll("<\\|im_end\\|>|<\\|eot_id\\|>", "").strip();

    EvaluationScores scores =
        EvaluationScores.compute(List.of(example(0, EXPECTED, generated, "no call")), SUMMARY);

    assertThat(scores.base().objectMatch()).as(generated).isEqualTo(1.0);
    assertThat(scores.base().textMatch()).as(generated).isEqualTo(1.0);
    assertThat(scores.tuned().objectMatch()).isZero();
  }
}
