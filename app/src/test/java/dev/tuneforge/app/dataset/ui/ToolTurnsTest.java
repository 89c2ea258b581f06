package dev.tuneforge.app.dataset.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The preview shows a tool-calling row's calls and results as turns of their own. */
class ToolTurnsTest {

  @Test
  void callsAndResultsAreTurnsOfTheirOwn() {
    String stored =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
            + "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
            + "{\"role\":\"tool\",\"content\":\"{\\\"temp\\\": 21}\",\"tool_call_id\":\"call_1\",\"name\":\"get_weather\"},"
            + "{\"role\":\"assistant\",\"content\":\"21 degrees.\"}],"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]}";

    assertThat(ToolTurns.of(stored))
        .containsExactly(
            new ToolTurns.Turn("tools", "tools: get_weather"),
            new ToolTurns.Turn("user", "user: Weather in Paris?"),
            new ToolTurns.Turn(
                "tool-call", "assistant calls get_weather {\"city\":\"Paris\"} (call_1)"),
            new ToolTurns.Turn(
                "tool-result", "tool result of get_weather (call_1): {\"temp\": 21}"),
            new ToolTurns.Turn("assistant", "assistant: 21 degrees."));
  }

  @Test
  void rowsWithoutToolsAreShownAsStored() {
    assertThat(
            ToolTurns.of(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                    + "{\"role\":\"assistant\",\"content\":\"Hello\"}]}"))
        .isEmpty();
  }
}
