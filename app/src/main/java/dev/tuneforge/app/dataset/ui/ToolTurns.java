package dev.tuneforge.app.dataset.ui;

import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.DatasetException;
import dev.tuneforge.chat.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stored row that uses tools, turn by turn as the preview shows it: the declared tools, each call
 * with its function's name and arguments, each result with the tool and call it answers. Other rows
 * read well as stored, so they get no turns.
 */
final class ToolTurns {

  /** One turn; {@code kind} is a role, or tools, tool-call or tool-result. */
  record Turn(String kind, String text) {}

  private ToolTurns() {}

  static List<Turn> of(String storedLine) {
    Conversation conversation;
    try {
      conversation = ChatDataset.parse(1, storedLine);
    } catch (DatasetException e) {
      return List.of();
    }
    if (!conversation.usesTools()) {
      return List.of();
    }
    List<Turn> turns = new ArrayList<>();
    if (!conversation.tools().isEmpty()) {
      List<String> names = new ArrayList<>();
      for (Map<String, Object> tool : conversation.tools()) {
        if (tool.get("function") instanceof Map<?, ?> function) {
          names.add(String.valueOf(function.get("name")));
        }
      }
      turns.add(new Turn("tools", "tools: " + String.join(", ", names)));
    }
    for (ChatMessage message : conversation.messages()) {
      if (message.role().equals("tool")) {
        turns.add(
            new Turn(
                "tool-result",
                "tool result"
                    + (message.name() == null ? "" : " of " + message.name())
                    + (message.toolCallId() == null ? "" : " (" + message.toolCallId() + ")")
                    + ": "
                    + message.content()));
        continue;
      }
      if (!message.content().isEmpty() || message.toolCalls().isEmpty()) {
        turns.add(new Turn(message.role(), message.role() + ": " + message.content()));
      }
      for (ToolCall call : message.toolCalls()) {
        turns.add(
            new Turn(
                "tool-call",
                "assistant calls "
                    + call.name()
                    + " "
                    + call.arguments()
                    + (call.id() == null ? "" : " (" + call.id() + ")")));
      }
    }
    return turns;
  }
}
