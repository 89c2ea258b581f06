package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.chat.ToolCall;
import dev.tuneforge.chat.ToolCalls;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * {@code {"messages":[{"role":…,"content":…,"weight":0|1}, …]}}, as OpenAI takes it, with its tool
 * use: {@code tools}, assistant messages with {@code tool_calls} (and content null or absent) and
 * {@code tool} messages with the {@code tool_call_id} they answer.
 */
final class ChatRows implements RowReader {
  private static final int MISSING = 0;
  private static final int NOT_ARRAY = 1;
  private static final int ARRAY = 2;

  @Override
  public @Nullable String read(JsonParser p, ChatRowBuffer row) {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return "expected a JSON object with a \"messages\" array";
    }
    row.clear();
    int messages = MISSING;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("tools")) {
        RowReader.tools(p, value, row);
      } else if (!name.equals("messages")) {
        p.skipChildren();
      } else if (value == JsonToken.START_ARRAY) {
        messages = ARRAY;
        row.dropMessages();
        JsonToken element;
        while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
          readMessage(p, element, row);
        }
      } else {
        messages = NOT_ARRAY;
        p.skipChildren();
      }
    }
    if (messages != ARRAY) {
      return "missing the \"messages\" array";
    }
    return check(row);
  }

  private static void readMessage(JsonParser p, JsonToken token, ChatRowBuffer row) {
    if (token != JsonToken.START_OBJECT) {
      p.skipChildren();
      row.add(ChatRowBuffer.NOT_OBJECT, null, ChatRowBuffer.MISSING, ChatRowBuffer.NO_WEIGHT, null);
      return;
    }
    byte role = ChatRowBuffer.NO_ROLE;
    String otherRole = null;
    long content = ChatRowBuffer.MISSING;
    int weight = ChatRowBuffer.NO_WEIGHT;
    String weightText = null;
    List<ToolCall> calls = null;
    boolean callsKey = false;
    String toolCallId = null;
    String toolName = null;
    int index = row.size() + 1;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "role" -> {
          otherRole = null;
          if (value == JsonToken.VALUE_STRING) {
            String text = p.getString();
            role = roleOf(text);
            otherRole = role == ChatRowBuffer.OTHER_ROLE ? text : null;
          } else {
            role = ChatRowBuffer.NO_ROLE;
            p.skipChildren();
          }
        }
        case "content" ->
            content =
                value == JsonToken.VALUE_NULL
                    ? ChatRowBuffer.MISSING
                    : RowReader.text(p, value, row);
        case "tool_calls" -> {
          callsKey = value != JsonToken.VALUE_NULL;
          calls = readCalls(p, value, index, row);
        }
        case "tool_call_id" -> toolCallId = optionalString(p, value);
        case "name" -> toolName = optionalString(p, value);
        case "weight" -> {
          weightText = null;
          if (value == JsonToken.VALUE_NUMBER_INT
              && p.getNumberType() == JsonParser.NumberType.INT
              && (p.getIntValue() == 0 || p.getIntValue() == 1)) {
            weight = p.getIntValue();
          } else {
            weight = ChatRowBuffer.BAD_WEIGHT;
            weightText = p.readValueAsTree().toString();
          }
        }
        default -> p.skipChildren();
      }
    }
    if (callsKey && content == ChatRowBuffer.MISSING) {
      content = row.copyText("");
    }
    row.add(role, otherRole, content, weight, weightText);
    if (role == ChatRowBuffer.TOOL || calls != null) {
      if (calls != null && role != ChatRowBuffer.ASSISTANT) {
        row.toolProblem("message " + index + " has tool calls, which only assistant messages make");
      }
      row.setToolUse(calls, toolCallId, role == ChatRowBuffer.TOOL ? toolName : null);
    }
  }

  private static @Nullable List<ToolCall> readCalls(
      JsonParser p, JsonToken value, int index, ChatRowBuffer row) {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    try {
      return ToolCalls.read(p.readValueAsTree());
    } catch (IllegalArgumentException e) {
      row.toolProblem("message " + index + ": " + e.getMessage());
      return null;
    }
  }

  private static @Nullable String optionalString(JsonParser p, JsonToken value) {
    if (value == JsonToken.VALUE_STRING) {
      return p.getString();
    }
    p.skipChildren();
    return null;
  }

  private static byte roleOf(String role) {
    return switch (role) {
      case "system" -> ChatRowBuffer.SYSTEM;
      case "user" -> ChatRowBuffer.USER;
      case "assistant" -> ChatRowBuffer.ASSISTANT;
      case "tool" -> ChatRowBuffer.TOOL;
      default -> ChatRowBuffer.OTHER_ROLE;
    };
  }

  private static @Nullable String check(ChatRowBuffer row) {
    if (row.size() == 0) {
      return "\"messages\" is empty";
    }
    boolean learnable = false;
    for (int i = 0; i < row.size(); i++) {
      String where = "message " + (i + 1);
      byte role = row.role(i);
      if (role == ChatRowBuffer.NOT_OBJECT) {
        return where + " is not an object";
      }
      if (role == ChatRowBuffer.NO_ROLE) {
        return where + " has no \"role\"";
      }
      if (role == ChatRowBuffer.OTHER_ROLE) {
        return where
            + " has role \""
            + row.otherRole(i)
            + "\"; expected system, user, assistant or tool";
      }
      if (row.content(i) < 0) {
        return where + " has no text \"content\"";
      }
      if (row.weight(i) == ChatRowBuffer.BAD_WEIGHT) {
        return where + " has \"weight\" " + row.weightText(i) + "; expected 0 or 1";
      }
      learnable |= role == ChatRowBuffer.ASSISTANT && row.weight(i) != 0;
    }
    String toolProblem = row.toolProblem() != null ? row.toolProblem() : row.checkToolUse();
    if (toolProblem != null) {
      return toolProblem;
    }
    return learnable ? null : "no assistant message to learn from";
  }
}
