package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.DatasetInfo;
import dev.tuneforge.chat.ToolCall;
import dev.tuneforge.chat.ToolCalls;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.node.StringNode;

/**
 * {@code {"conversations":[{"from":"human","value":…},{"from":"gpt","value":…}]}} with an optional
 * top-level {@code system}; {@code from} may also be user, assistant or system. Tool use as
 * LLaMA-Factory writes it: a {@code function_call} turn whose value is the call's JSON ({@code
 * {"name","arguments"}}, or a list of them), an {@code observation} turn with the result, and a
 * {@code tools} key holding the function schemas (a JSON string or a list). A {@link DatasetInfo}
 * may name other keys and role values ({@code "role"}/{@code "content"} with {@code "user"}/{@code
 * "assistant"}, for example).
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
  private final String functionTag;
  private final String observationTag;
  private final String toolsKey;

  ShareGptRows() {
    conversationsKey = "conversations";
    systemKey = "system";
    roleTag = "from";
    contentTag = "value";
    userTags = Set.of("human", "user");
    assistantTags = Set.of("gpt", "assistant");
    systemTag = "system";
    functionTag = "function_call";
    observationTag = "observation";
    toolsKey = "tools";
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
    functionTag = info.tag("function_tag");
    observationTag = info.tag("observation_tag");
    String tools = info.column("tools");
    toolsKey = tools == null ? "tools" : tools;
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
      } else if (name.equals(toolsKey)) {
        RowReader.tools(p, value, row);
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
    if (problem == null) {
      problem = row.toolProblem() != null ? row.toolProblem() : row.checkToolUse();
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
    boolean function = false;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals(roleTag)) {
        otherRole = null;
        if (v == JsonToken.VALUE_STRING) {
          String from = p.getString();
          role = roleOf(from);
          function = from.equals(functionTag);
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
    if (function && value >= 0) {
      functionCall(row, otherRole, value);
      return;
    }
    row.add(role, otherRole, value, ChatRowBuffer.NO_WEIGHT, null);
    if (role == ChatRowBuffer.TOOL) {
      row.setToolUse(null, null, lastCallName(row));
    }
  }

  /** A function_call turn: an assistant message that makes the calls its value holds as JSON. */
  private static void functionCall(ChatRowBuffer row, @Nullable String otherRole, long value) {
    int index = row.size() + 1;
    List<ToolCall> calls = null;
    try {
      calls = ToolCalls.read(new StringNode(row.spanText(value)));
    } catch (IllegalArgumentException e) {
      row.toolProblem("turn " + index + ": " + e.getMessage());
    }
    row.add(ChatRowBuffer.ASSISTANT, otherRole, row.copyText(""), ChatRowBuffer.NO_WEIGHT, null);
    row.setToolUse(calls, null, null);
  }

  /** The tool the result answers: the name of the one call before it, when there was one. */
  private static @Nullable String lastCallName(ChatRowBuffer row) {
    for (int i = row.size() - 2; i >= 0; i--) {
      if (row.callsTools(i)) {
        List<ToolCall> calls = row.toolCalls(i);
        return calls.size() == 1 ? calls.getFirst().name() : null;
      }
    }
    return null;
  }

  private byte roleOf(String from) {
    if (userTags.contains(from)) {
      return ChatRowBuffer.USER;
    }
    if (assistantTags.contains(from)) {
      return ChatRowBuffer.ASSISTANT;
    }
    if (from.equals(observationTag)) {
      return ChatRowBuffer.TOOL;
    }
    if (from.equals(functionTag)) {
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
            + ", "
            + systemTag
            + ", "
            + functionTag
            + " or "
            + observationTag;
      }
      if (row.content(i) < 0) {
        return where + " has no text \"" + contentTag + "\"";
      }
      learnable |= role == ChatRowBuffer.ASSISTANT;
    }
    return learnable ? null : "no " + assistant + " turn to learn from";
  }
}
