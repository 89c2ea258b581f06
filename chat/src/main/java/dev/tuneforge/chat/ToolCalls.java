package dev.tuneforge.chat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and checks tool use as datasets write it: OpenAI's {@code tools} and {@code tool_calls}
 * (arguments a JSON string, or an object), ShareGPT's {@code function_call} values ({@code
 * {"name","arguments"}} or a list of them) and LLaMA-Factory's bare function schemas. Every problem
 * is worded with "tool call" or "tools", so a refused row says what kind of data it was.
 */
public final class ToolCalls {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ToolCalls() {}

  /**
   * The calls of an OpenAI {@code tool_calls} array or a ShareGPT {@code function_call} value.
   *
   * @throws IllegalArgumentException naming the call and what is wrong with it
   */
  public static List<ToolCall> read(JsonNode calls) {
    if (calls.isString()) {
      calls = parse(calls.asString(), "the tool call is not JSON");
    }
    List<JsonNode> each = new ArrayList<>();
    if (calls.isArray()) {
      calls.forEach(each::add);
    } else if (calls.isObject()) {
      each.add(calls);
    }
    if (each.isEmpty()) {
      throw new IllegalArgumentException(
          "the tool calls are not a non-empty list of {\"function\": {\"name\", \"arguments\"}}");
    }
    List<ToolCall> read = new ArrayList<>();
    for (int i = 0; i < each.size(); i++) {
      read.add(call(each.get(i), "tool call " + (i + 1)));
    }
    return read;
  }

  private static ToolCall call(JsonNode node, String where) {
    JsonNode function = node.has("function") ? node.path("function") : node;
    JsonNode name = function.path("name");
    if (!name.isString() || name.asString().isBlank()) {
      throw new IllegalArgumentException(where + " has no function \"name\"");
    }
    where += " (" + name.asString() + ")";
    JsonNode arguments = function.path("arguments");
    String text;
    if (arguments.isString()) {
      text = arguments.asString();
      JsonNode parsed = parse(text, where + " has \"arguments\" that are not JSON");
      if (!parsed.isObject()) {
        throw new IllegalArgumentException(where + " has \"arguments\" that are not a JSON object");
      }
    } else if (arguments.isObject()) {
      text = JSON.writeValueAsString(arguments);
    } else if (arguments.isMissingNode() || arguments.isNull()) {
      text = "{}";
    } else {
      throw new IllegalArgumentException(where + " has \"arguments\" that are not a JSON object");
    }
    JsonNode id = node.path("id");
    return new ToolCall(id.isString() ? id.asString() : null, name.asString(), text);
  }

  /**
   * The function schemas of a {@code tools} declaration (a list, or a string holding one), each as
   * OpenAI writes it: {@code {"type":"function","function":{"name",…}}}; a bare schema ({@code
   * {"name","description","parameters"}}, as LLaMA-Factory's {@code tools} column has it) is
   * wrapped so.
   *
   * @throws IllegalArgumentException naming the entry and what is wrong with it
   */
  public static List<Map<String, Object>> tools(JsonNode tools) {
    if (tools.isString()) {
      if (tools.asString().isBlank()) {
        return List.of();
      }
      tools = parse(tools.asString(), "\"tools\" is not JSON");
    }
    if (!tools.isArray()) {
      throw new IllegalArgumentException("\"tools\" is not a list of function schemas");
    }
    List<Map<String, Object>> read = new ArrayList<>();
    int index = 0;
    for (JsonNode tool : tools) {
      index++;
      JsonNode function = tool.has("function") ? tool.path("function") : tool;
      if (!function.isObject()
          || !function.path("name").isString()
          || function.path("name").asString().isBlank()) {
        throw new IllegalArgumentException(
            "\"tools\" entry " + index + " is not a function schema with a \"name\"");
      }
      ObjectNode wrapped = JSON.createObjectNode();
      wrapped.put("type", "function");
      wrapped.set("function", function);
      read.add(asMap(tool.has("function") ? tool : wrapped));
    }
    return read;
  }

  /**
   * The first problem with how the messages use tools, or null: a tool result with no call before
   * it, one answering a call id no call had, a call of a tool that {@code tools} does not declare.
   */
  public static @Nullable String check(
      List<ChatMessage> messages, List<Map<String, Object>> tools) {
    Set<String> declared = new HashSet<>();
    for (Map<String, Object> tool : tools) {
      if (tool.get("function") instanceof Map<?, ?> function) {
        declared.add(String.valueOf(function.get("name")));
      }
    }
    boolean open = false;
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage message = messages.get(i);
      String where = "message " + (i + 1);
      if (message.role().equals("tool")) {
        if (!open) {
          return where + " is a tool result without a tool call before it";
        }
        if (message.toolCallId() != null && !ids.isEmpty() && !ids.contains(message.toolCallId())) {
          return where
              + " answers tool call \""
              + message.toolCallId()
              + "\", which the calls before it do not have";
        }
        continue;
      }
      open = !message.toolCalls().isEmpty();
      ids.clear();
      for (int c = 0; c < message.toolCalls().size(); c++) {
        ToolCall call = message.toolCalls().get(c);
        if (!declared.isEmpty() && !declared.contains(call.name())) {
          return where
              + ": tool call "
              + (c + 1)
              + " names \""
              + call.name()
              + "\", which \"tools\" does not declare ("
              + String.join(", ", declared.stream().sorted().toList())
              + ")";
        }
        if (call.id() != null) {
          ids.add(call.id());
        }
      }
    }
    return null;
  }

  /** Calls as OpenAI's {@code tool_calls} array: arguments a JSON string. */
  public static ArrayNode toJson(List<ToolCall> calls) {
    ArrayNode array = JSON.createArrayNode();
    for (ToolCall call : calls) {
      ObjectNode node = array.addObject();
      if (call.id() != null) {
        node.put("id", call.id());
      }
      node.put("type", "function");
      ObjectNode function = node.putObject("function");
      function.put("name", call.name());
      function.put("arguments", call.arguments());
    }
    return array;
  }

  /** A call's arguments as the dict transformers hands a template. */
  static Map<String, Object> argumentsAsMap(String arguments) {
    return asMap(parse(arguments, "the tool call's arguments are not JSON"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(JsonNode node) {
    return JSON.convertValue(node, LinkedHashMap.class);
  }

  private static JsonNode parse(String text, String problem) {
    try {
      return JSON.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(problem + " (" + e.getOriginalMessage() + ")");
    }
  }
}
