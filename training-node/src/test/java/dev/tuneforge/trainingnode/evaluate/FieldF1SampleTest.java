package dev.tuneforge.trainingnode.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.chat.ChatDataset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Evaluation during training scores a tool-calling answer by the call's name and arguments, as the
 * app scores the evaluation's generations ({@code ToolCallScoringTest}), not as the text its chat
 * template's tags make of it.
 */
class FieldF1SampleTest {
  /** A turn that says a line, then calls get_weather for Rome in Celsius. */
  private static final String ROW =
      """
      {"messages":[{"role":"user","content":"Weather in Rome?"},\
      {"role":"assistant","content":"Checking the weather.","tool_calls":[{"id":"call_1",\
      "type":"function","function":{"name":"get_weather",\
      "arguments":"{\\"city\\": \\"Rome\\", \\"unit\\": \\"celsius\\"}"}}]}],\
      "tools":[{"type":"function","function":{"name":"get_weather","parameters":{}}}]}\
      """;

  /** The same line and call in Qwen's tags, the unit wrong. */
  static final String WRONG_UNIT =
      "Checking the weather.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\":"
          + " \"Rome\", \"unit\": \"fahrenheit\"}}\n</tool_call>";

  private static EvaluationCase toolCall() {
    return EvaluationCase.of(0, ChatDataset.parse(1, ROW));
  }

  @Test
  void aToolCallIsScoredByItsNameAndArguments() {
    // content, name, arguments.city right; arguments.unit wrong (FP + FN): 2·3 / (2·3 + 2)
    assertThat(FieldF1Sample.score(List.of(toolCall()), List.of(WRONG_UNIT))).isEqualTo(0.75);
  }

  @Test
  void aCallInLlamasSyntaxMatchesTheExpectedCall() {
    String llama =
        "Checking the weather.\n<|python_tag|>{\"name\": \"get_weather\", \"parameters\":"
            + " {\"city\": \"Rome\", \"unit\": \"celsius\"}}<|eom_id|>";
    assertThat(FieldF1Sample.score(List.of(toolCall()), List.of(llama))).isEqualTo(1.0);
  }

  @Test
  void aToolCallingSetGetsAFieldF1AndAFreeTextSetNone() {
    assertThat(FieldF1Sample.applies(List.of(toolCall()))).isTrue();
    EvaluationCase text =
        EvaluationCase.of(
            1,
            ChatDataset.parse(
                2,
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                    + "{\"role\":\"assistant\",\"content\":\"Hello!\"}]}"));
    assertThat(FieldF1Sample.applies(List.of(toolCall(), text))).isFalse();
    assertThat(FieldF1Sample.applies(List.of())).isFalse();
  }
}
