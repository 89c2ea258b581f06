package dev.tuneforge.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A model's answer read back into its text and its tool calls, in the syntaxes the chat templates
 * of the supported families have a model write them: Qwen2.5's and Qwen3's (and Hermes') {@code
 * <tool_call>{"name", "arguments"}</tool_call>}, Llama 3.1's and 3.2's JSON {@code {"name",
 * "parameters"}} (after {@code <|python_tag|>} where the special tokens were kept, several joined
 * by {@code ;}), Mistral's {@code [TOOL_CALLS] [{"name", "arguments"}]}, and the bare {@code
 * {"name", "arguments"}} lines in which evaluation writes an expected call. A reasoning block
 * ({@code <think>…</think>}) before the answer, as Qwen3's template writes one, is not part of it.
 */
public record ToolCallAnswer(String content, List<ToolCall> calls) {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern TAGGED =
      Pattern.compile("<tool_call>\\s*(.*?)\\s*(?:</tool_call>|\\z)", Pattern.DOTALL);
  private static final Pattern MISTRAL =
      Pattern.compile("\\[TOOL_CALLS\\]\\s*(\\[.*\\])", Pattern.DOTALL);

  /** Qwen3's template writes a (possibly empty) reasoning block before the last turn's answer. */
  private static final Pattern THINKING =
      Pattern.compile("\\A\\s*<think>.*?</think>", Pattern.DOTALL);

  /** Llama's special tokens around a call, where decoding kept them. */
  private static final Pattern LLAMA_TOKENS =
      Pattern.compile("<\\|python_tag\\|>|<\\|eom_id\\|>|<\\|eot_id\\|>");

  public ToolCallAnswer {
    calls = List.copyOf(calls);
  }

  /** The answer's text and calls; no calls when it holds none in any of the syntaxes. */
  public static ToolCallAnswer read(String answer) {
    answer = THINKING.matcher(answer).replaceFirst("");
    List<ToolCall> calls = new ArrayList<>();
    StringBuilder content = new StringBuilder();
    Matcher tagged = TAGGED.matcher(answer);
    int end = 0;
    while (tagged.find()) {
      List<ToolCall> found = calls(tagged.group(1));
      if (found.isEmpty()) {
        continue;
      }
      calls.addAll(found);
      content.append(answer, end, tagged.start());
      end = tagged.end();
    }
    content.append(answer.substring(end));
    String rest = content.toString();
    Matcher mistral = MISTRAL.matcher(rest);
    if (mistral.find()) {
      List<ToolCall> found = calls(mistral.group(1));
      if (!found.isEmpty()) {
        calls.addAll(found);
        rest = rest.substring(0, mistral.start()) + rest.substring(mistral.end());
      }
    }
    rest = LLAMA_TOKENS.matcher(rest).replaceAll("\n");
    StringBuilder text = new StringBuilder();
    for (String line : rest.split("\n", -1)) {
      List<ToolCall> found = line.isBlank() ? List.of() : semicolonJoined(line.strip());
      if (found.isEmpty()) {
        text.append(line).append('\n');
      } else {
        calls.addAll(found);
      }
    }
    return new ToolCallAnswer(text.toString().strip(), calls);
  }

  /**
   * The answer as evaluation writes an expected tool-calling answer: its text, then each call on a
   * line of its own as {@code {"name": "get_weather", "arguments": {"city":"Rome"}}} (arguments in
   * compact JSON); the answer unchanged when it holds no call.
   */
  public static String normalised(String answer) {
    ToolCallAnswer read = read(answer);
    if (read.calls().isEmpty()) {
      return answer;
    }
    List<ToolCall> compact = new ArrayList<>();
    for (ToolCall call : read.calls()) {
      compact.add(
          new ToolCall(
              call.id(), call.name(), JSON.writeValueAsString(JSON.readTree(call.arguments()))));
    }
    return write(read.content(), compact);
  }

  /**
   * The answer as a JSON object that field scoring compares key path by key path: a single call as
   * {@code {"name": "get_weather", "arguments": {"city": "Rome"}}} (paths {@code name}, {@code
   * arguments.city}), several as {@code {"calls": [{"name", "arguments"}, …]}} (paths {@code
   * calls[0].name} …), with the answer's text as {@code "content"} first where it has any; the
   * answer unchanged when it holds no call, so that it scores as the text it is.
   */
  public static String forScoring(String answer) {
    ToolCallAnswer read = read(answer);
    if (read.calls().isEmpty()) {
      return answer;
    }
    ObjectNode scored = JSON.createObjectNode();
    if (!read.content().isEmpty()) {
      scored.put("content", read.content());
    }
    if (read.calls().size() == 1) {
      scoring(read.calls().getFirst(), scored);
    } else {
      ArrayNode calls = scored.putArray("calls");
      read.calls().forEach(call -> scoring(call, calls.addObject()));
    }
    return JSON.writeValueAsString(scored);
  }

  /**
   * An expected answer and a model's as field scoring compares them: where the expected one calls
   * tools, both {@link #forScoring} objects; otherwise both as written, as an extraction's are.
   */
  public static Scored forScoring(String expected, String output) {
    if (read(expected).calls().isEmpty()) {
      return new Scored(expected, output);
    }
    return new Scored(forScoring(expected), forScoring(output));
  }

  /** An expected answer and a model's, ready for field scoring. */
  public record Scored(String expected, String output) {}

  private static void scoring(ToolCall call, ObjectNode into) {
    into.put("name", call.name());
    into.set("arguments", JSON.readTree(call.arguments()));
  }

  /**
   * An answer's text followed by each call on a line of its own as {@code {"name": "get_weather",
   * "arguments": {…}}}, the arguments as the call holds them: how evaluation writes the expected
   * answer of a turn that calls tools.
   */
  public static String write(String content, List<ToolCall> calls) {
    StringBuilder text = new StringBuilder(content);
    for (ToolCall call : calls) {
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append("{\"name\": ")
          .append(JSON.writeValueAsString(call.name()))
          .append(", \"arguments\": ")
          .append(call.arguments())
          .append('}');
    }
    return text.toString();
  }

  /** Calls written one after another with {@code ;} between them, as Llama 3.2 may. */
  private static List<ToolCall> semicolonJoined(String line) {
    List<ToolCall> whole = calls(line);
    if (!whole.isEmpty() || !line.contains(";")) {
      return whole;
    }
    List<ToolCall> parts = new ArrayList<>();
    for (String part : line.split(";")) {
      List<ToolCall> found = part.isBlank() ? List.of() : calls(part.strip());
      if (found.isEmpty()) {
        return List.of();
      }
      parts.addAll(found);
    }
    return parts;
  }

  /** The calls a JSON text holds (one object, or a list of them); none when it is not such JSON. */
  private static List<ToolCall> calls(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JacksonException e) {
      return List.of();
    }
    List<JsonNode> each = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(each::add);
    } else if (node != null) {
      each.add(node);
    }
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode one : each) {
      ToolCall call = call(one);
      if (call == null) {
        return List.of();
      }
      calls.add(call);
    }
    return calls;
  }

  /**
   * A call object: {@code name} and {@code arguments} (or Llama's {@code parameters}) and nothing
   * else but an {@code id} or {@code type}, or OpenAI's {@code {"function": {…}}}; null otherwise,
   * so that an extraction's JSON object is never mistaken for a call.
   */
  private static @Nullable ToolCall call(JsonNode node) {
    if (!node.isObject()) {
      return null;
    }
    JsonNode function = node.has("function") ? node.path("function") : node;
    if (!function.isObject() || !function.path("name").isString()) {
      return null;
    }
    ObjectNode copy = ((ObjectNode) function).deepCopy();
    if (!copy.has("arguments") && copy.has("parameters")) {
      copy.set("arguments", copy.remove("parameters"));
    }
    for (String key : copy.propertyNames()) {
      if (!List.of("name", "arguments", "id", "type").contains(key)) {
        return null;
      }
    }
    if (!copy.has("arguments")) {
      return null;
    }
    try {
      return ToolCalls.read(copy).getFirst();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
