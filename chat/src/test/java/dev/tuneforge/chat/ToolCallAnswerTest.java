package dev.tuneforge.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A model's answer read back into text and tool calls in each template family's syntax, and written
 * as evaluation writes an expected call.
 */
class ToolCallAnswerTest {
  private static final String EXPECTED =
      "{\"name\": \"get_weather\", \"arguments\": {\"city\":\"Rome\"}}";

  @Test
  void qwenTagsAreTakenOff() {
    String qwen3 =
        "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}\n</tool_call>";
    assertThat(ToolCallAnswer.normalised(qwen3)).isEqualTo(EXPECTED);
    assertThat(ToolCallAnswer.read(qwen3).calls())
        .containsExactly(new ToolCall(null, "get_weather", "{\"city\":\"Rome\"}"));
    assertThat(
            ToolCallAnswer.normalised(
                "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\":"
                    + " {\"city\": \"Paris\"}}\n</tool_call>\n<tool_call>\n{\"name\":"
                    + " \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}\n</tool_call>"))
        .isEqualTo(
            "Let me check.\n{\"name\": \"get_weather\", \"arguments\": {\"city\":\"Paris\"}}\n"
                + EXPECTED);
    assertThat(
            ToolCallAnswer.normalised(
                "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}"))
        .as("a generation cut off before the closing tag")
        .isEqualTo(EXPECTED);
  }

  @Test
  void aReasoningBlockBeforeTheCallIsNotPartOfTheAnswer() {
    assertThat(
            ToolCallAnswer.normalised(
                "<think>\nThe user wants Rome.\n</think>\n\n<tool_call>\n{\"name\":"
                    + " \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}\n</tool_call>"))
        .isEqualTo(EXPECTED);
  }

  @Test
  void llamaParametersAndItsSpecialTokensAreRead() {
    assertThat(
            ToolCallAnswer.normalised(
                "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Rome\"}}"))
        .isEqualTo(EXPECTED);
    assertThat(
            ToolCallAnswer.normalised(
                "<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"city\":"
                    + " \"Rome\"}}<|eom_id|>"))
        .isEqualTo(EXPECTED);
    assertThat(
            ToolCallAnswer.read(
                    "{\"name\": \"a\", \"parameters\": {}}; {\"name\": \"b\", \"parameters\": {}}")
                .calls())
        .extracting(ToolCall::name)
        .containsExactly("a", "b");
  }

  @Test
  void mistralsListAfterItsMarkerIsRead() {
    assertThat(
            ToolCallAnswer.normalised(
                "[TOOL_CALLS] [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}]"))
        .isEqualTo(EXPECTED);
  }

  @Test
  void anAnswerWithoutCallsIsLeftAsItIs() {
    String extraction = "{\"name\": \"ACME\", \"total\": \"9.90\"}";
    assertThat(ToolCallAnswer.normalised(extraction))
        .as("an object with other keys than a call's is not a call")
        .isEqualTo(extraction);
    assertThat(ToolCallAnswer.normalised("It is sunny in Rome.")).isEqualTo("It is sunny in Rome.");
    assertThat(ToolCallAnswer.normalised("<tool_call>not json</tool_call>"))
        .isEqualTo("<tool_call>not json</tool_call>");
  }

  @Test
  void forScoringGivesTheCallsNameAndArgumentsAsOneObject() {
    assertThat(
            ToolCallAnswer.forScoring(
                "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\","
                    + " \"days\": 3}}\n</tool_call>"))
        .isEqualTo("{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Rome\",\"days\":3}}");
    assertThat(ToolCallAnswer.forScoring("Let me see.\n" + EXPECTED + "\n" + EXPECTED))
        .isEqualTo(
            "{\"content\":\"Let me see.\",\"calls\":[{\"name\":\"get_weather\",\"arguments\":"
                + "{\"city\":\"Rome\"}},{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Rome\"}}]}");
    assertThat(ToolCallAnswer.forScoring("It is sunny in Rome.")).isEqualTo("It is sunny in Rome.");
    assertThat(ToolCallAnswer.forScoring("{\"total\": \"9.90\"}", "{\"total\": 9.9}"))
        .as("an extraction's answers are compared as written")
        .isEqualTo(new ToolCallAnswer.Scored("{\"total\": \"9.90\"}", "{\"total\": 9.9}"));
    assertThat(ToolCallAnswer.forScoring(EXPECTED, "It is sunny.").output())
        .as("a model that answered without calling is compared as its text")
        .isEqualTo("It is sunny.");
  }
}
