package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.DatasetInfo;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * {@code {"conversations":[{"from":"human","value":…},{"from":"gpt","value":…}]}} with an optional
 * top-level {@code system}; {@code from} may also be user, assistant or system. A {@link
 * DatasetInfo} may name other keys and role values ({@code "role"}/{@code "content"} with {@code
 * "user"}/{@code "assistant"}, for example).
 */
final class ShareGptRows implements RowReader {
  private static final int MISSING = 0;
  private static final int NOT_ARRAY = 1;
  private static final int ARRAY = 2;

  private final String conversationsKey;
  private final @Nullable String systemKey;
  private final String roleTag;
  private final String contentTag;
  private final Set<String> userTags;
  private final Set<String> assistantTags;
  private final String systemTag;

  ShareGptRows() {
    conversationsKey = "conversations";
    systemKey = "system";
    roleTag = "from";
    contentTag = "value";
    userTags = Set.of("human", "user");
    assistantTags = Set.of("gpt", "assistant");
    systemTag = "system";
  }

  ShareGptRows(DatasetInfo info) {
    String messages = info.column("messages");
    conversationsKey = messages == null ? "conversations" : messages;
    systemKey = info.column("system");
    roleTag = info.tag("role_tag");
    contentTag = info.tag("content_tag");
    userTags = Set.of(info.tag("user_tag"));
    assistantTags = Set.of(info.tag("assistant_tag"));
    systemTag = info.tag("system_tag");
  }

  @Override
  public @Nullable String read(JsonParser p, ChatRowBuffer row) {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return "expected a JSON object with a \"" + conversationsKey + "\" array";
    }
    row.clear();
    int conversations = MISSING;
    long system = ChatRowBuffer.MISSING;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals(systemKey)) {
        system = RowReader.optionalText(p, value, row);
      } else if (!name.equals(conversationsKey)) {
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
      return "missing the \"" + conversationsKey + "\" array";
    }
    if (system == ChatRowBuffer.NOT_TEXT) {
      return "\"" + systemKey + "\" is not text";
    }
    String problem = check(row);
    if (problem == null && system != ChatRowBuffer.MISSING) {
      row.prepend(ChatRowBuffer.SYSTEM, system);
    }
    return problem;
  }

  private void readTurn(JsonParser p, JsonToken token, ChatRowBuffer row) {
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
      if (name.equals(roleTag)) {
        otherRole = null;
        if (v == JsonToken.VALUE_STRING) {
          String from = p.getString();
          role = roleOf(from);
          otherRole = role == ChatRowBuffer.OTHER_ROLE ? from : null;
        } else {
          role = ChatRowBuffer.NO_ROLE;
          p.skipChildren();
        }
      } else if (name.equals(contentTag)) {
        value = RowReader.text(p, v, row);
      } else {
        p.skipChildren();
      }
    }
    row.add(role, otherRole, value, ChatRowBuffer.NO_WEIGHT, null);
  }

  private byte roleOf(String from) {
    if (userTags.contains(from)) {
      return ChatRowBuffer.USER;
    }
    if (assistantTags.contains(from)) {
      return ChatRowBuffer.ASSISTANT;
    }
    return from.equals(systemTag) ? ChatRowBuffer.SYSTEM : ChatRowBuffer.OTHER_ROLE;
  }

  private @Nullable String check(ChatRowBuffer row) {
    String user = userTags.size() == 1 ? userTags.iterator().next() : "human";
    String assistant = assistantTags.size() == 1 ? assistantTags.iterator().next() : "gpt";
    if (row.size() == 0) {
      return "\"" + conversationsKey + "\" is empty";
    }
    boolean learnable = false;
    for (int i = 0; i < row.size(); i++) {
      String where = "turn " + (i + 1);
      byte role = row.role(i);
      if (role == ChatRowBuffer.NOT_OBJECT) {
        return where + " is not an object";
      }
      if (role == ChatRowBuffer.NO_ROLE) {
        return where + " has no \"" + roleTag + "\"";
      }
      if (role == ChatRowBuffer.OTHER_ROLE) {
        return where
            + " has \""
            + roleTag
            + "\" \""
            + row.otherRole(i)
            + "\"; expected "
            + user
            + ", "
            + assistant
            + " or "
            + systemTag;
      }
      if (row.content(i) < 0) {
        return where + " has no text \"" + contentTag + "\"";
      }
      learnable |= role == ChatRowBuffer.ASSISTANT;
    }
    return learnable ? null : "no " + assistant + " turn to learn from";
  }
}
