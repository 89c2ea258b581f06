package dev.tuneforge.app.dataset.ingest;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** {@code {"messages":[{"role":…,"content":…,"weight":0|1}, …]}}, as OpenAI takes it. */
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
      if (!name.equals("messages")) {
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
        case "content" -> content = RowReader.text(p, value, row);
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
    row.add(role, otherRole, content, weight, weightText);
  }

  private static byte roleOf(String role) {
    return switch (role) {
      case "system" -> ChatRowBuffer.SYSTEM;
      case "user" -> ChatRowBuffer.USER;
      case "assistant" -> ChatRowBuffer.ASSISTANT;
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
        return where + " has role \"" + row.otherRole(i) + "\"; expected system, user or assistant";
      }
      if (row.content(i) < 0) {
        return where + " has no text \"content\"";
      }
      if (row.weight(i) == ChatRowBuffer.BAD_WEIGHT) {
        return where + " has \"weight\" " + row.weightText(i) + "; expected 0 or 1";
      }
      learnable |= role == ChatRowBuffer.ASSISTANT && row.weight(i) != 0;
    }
    return learnable ? null : "no assistant message to learn from";
  }
}
