package dev.tuneforge.app.dataset.ingest;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * {@code {"conversations":[{"from":"human","value":…},{"from":"gpt","value":…}]}} with an optional
 * top-level {@code system}; {@code from} may also be user, assistant or system.
 */
final class ShareGptRows implements RowReader {
  private static final int MISSING = 0;
  private static final int NOT_ARRAY = 1;
  private static final int ARRAY = 2;

  @Override
  public @Nullable String read(JsonParser p, ChatRowBuffer row) {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return "expected a JSON object with a \"conversations\" array";
    }
    row.clear();
    int conversations = MISSING;
    long system = ChatRowBuffer.MISSING;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("system")) {
        system = RowReader.optionalText(p, value, row);
      } else if (!name.equals("conversations")) {
        p.skipChildren();
      } else if (value == JsonToken.START_ARRAY) {
        conversations = ARRAY;
        row.dropMessages();
        JsonToken element;
        while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
          readTurn(p, element, row);
        }
      } else {
        conversations = NOT_ARRAY;
        p.skipChildren();
      }
    }
    if (conversations != ARRAY) {
      return "missing the \"conversations\" array";
    }
    if (system == ChatRowBuffer.NOT_TEXT) {
      return "\"system\" is not text";
    }
    String problem = check(row);
    if (problem == null && system != ChatRowBuffer.MISSING) {
      row.prepend(ChatRowBuffer.SYSTEM, system);
    }
    return problem;
  }

  private static void readTurn(JsonParser p, JsonToken token, ChatRowBuffer row) {
    if (token != JsonToken.START_OBJECT) {
      p.skipChildren();
      row.add(ChatRowBuffer.NOT_OBJECT, ChatRowBuffer.MISSING);
      return;
    }
    byte role = ChatRowBuffer.NO_ROLE;
    String otherRole = null;
    long value = ChatRowBuffer.MISSING;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "from" -> {
          otherRole = null;
          if (v == JsonToken.VALUE_STRING) {
            String from = p.getString();
            role = roleOf(from);
            otherRole = role == ChatRowBuffer.OTHER_ROLE ? from : null;
          } else {
            role = ChatRowBuffer.NO_ROLE;
            p.skipChildren();
          }
        }
        case "value" -> value = RowReader.text(p, v, row);
        default -> p.skipChildren();
      }
    }
    row.add(role, otherRole, value, ChatRowBuffer.NO_WEIGHT, null);
  }

  private static byte roleOf(String from) {
    return switch (from) {
      case "human", "user" -> ChatRowBuffer.USER;
      case "gpt", "assistant" -> ChatRowBuffer.ASSISTANT;
      case "system" -> ChatRowBuffer.SYSTEM;
      default -> ChatRowBuffer.OTHER_ROLE;
    };
  }

  private static @Nullable String check(ChatRowBuffer row) {
    if (row.size() == 0) {
      return "\"conversations\" is empty";
    }
    boolean learnable = false;
    for (int i = 0; i < row.size(); i++) {
      String where = "turn " + (i + 1);
      byte role = row.role(i);
      if (role == ChatRowBuffer.NOT_OBJECT) {
        return where + " is not an object";
      }
      if (role == ChatRowBuffer.NO_ROLE) {
        return where + " has no \"from\"";
      }
      if (role == ChatRowBuffer.OTHER_ROLE) {
        return where + " has \"from\" \"" + row.otherRole(i) + "\"; expected human, gpt or system";
      }
      if (row.content(i) < 0) {
        return where + " has no text \"value\"";
      }
      learnable |= role == ChatRowBuffer.ASSISTANT;
    }
    return learnable ? null : "no gpt turn to learn from";
  }
}
