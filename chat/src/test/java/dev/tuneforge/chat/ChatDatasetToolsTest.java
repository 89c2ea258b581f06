package dev.tuneforge.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tool use in a stored chat line: read as OpenAI writes it, refused with "tool call" when wrong.
 */
class ChatDatasetToolsTest {

  private static final String TOOLS =
      "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{}}}]";

  private static String line(String call, String result) {
    return "{\"messages\":[{\"role\":\"user\",\"content\":\"Vendor?\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
        + call
        + "]},"
        + result
        + "{\"role\":\"assistant\",\"content\":\"ACME\"}],"
        + TOOLS
        + "}";
  }

  private static final String CALL =
      "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":\\\"x\\\"}\"}}";
  private static final String RESULT =
      "{\"role\":\"tool\",\"content\":\"ACME\",\"tool_call_id\":\"c1\",\"name\":\"lookup\"},";

  @Test
  void readsCallsResultsAndTools() {
    Conversation conversation = ChatDataset.parse(3, line(CALL, RESULT));
    assertThat(conversation.usesTools()).isTrue();
    assertThat(conversation.tools()).hasSize(1);
    ChatMessage call = conversation.messages().get(1);
    assertThat(call.content()).isEmpty();
    assertThat(call.toolCalls()).containsExactly(new ToolCall("c1", "lookup", "{\"q\":\"x\"}"));
    assertThat(call.templateView().get("tool_calls"))
        .isEqualTo(
            java.util.List.of(
                Map.of(
                    "id",
                    "c1",
                    "type",
                    "function",
                    "function",
                    Map.of("name", "lookup", "arguments", Map.of("q", "x")))));
    ChatMessage result = conversation.messages().get(2);
    assertThat(result.role()).isEqualTo("tool");
    assertThat(result.toolCallId()).isEqualTo("c1");
    assertThat(result.name()).isEqualTo("lookup");
  }

  @Test
  void refusesArgumentsThatAreNotJson() {
    String broken = CALL.replace("{\\\"q\\\":\\\"x\\\"}", "{q: x");
    assertThatThrownBy(() -> ChatDataset.parse(3, line(broken, RESULT)))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(
            "line 3 of the dataset: message 2: tool call 1 (lookup) has \"arguments\" that are not"
                + " JSON");
  }

  @Test
  void refusesAToolResultWithoutACallBeforeIt() {
    String line =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
            + "{\"role\":\"tool\",\"content\":\"42\"},"
            + "{\"role\":\"assistant\",\"content\":\"42\"}]}";
    assertThatThrownBy(() -> ChatDataset.parse(9, line))
        .hasMessage(
            "line 9 of the dataset: message 2 is a tool result without a tool call before it");
  }

  @Test
  void refusesACallOfAToolThatIsNotDeclared() {
    assertThatThrownBy(() -> ChatDataset.parse(4, line(CALL.replace("lookup", "search"), RESULT)))
        .hasMessage(
            "line 4 of the dataset: message 2: tool call 1 names \"search\", which \"tools\" does"
                + " not declare (lookup)");
  }
}
