package dev.tuneforge.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads OpenAI chat JSONL ({@code {"messages":[{"role","content","weight"?}]}}), one conversation
 * per line, with tool use as OpenAI writes it: {@code tools}, assistant {@code tool_calls} and
 * {@code tool} messages; other top-level keys such as {@code id} are ignored.
 */
public final class ChatDataset {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

  private ChatDataset() {}

  public static List<Conversation> read(Path jsonl) throws IOException {
    List<Conversation> conversations = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (!line.isBlank()) {
          conversations.add(parse(number, line));
        }
      }
    }
    if (conversations.isEmpty()) {
      throw new DatasetException("the dataset has no examples");
    }
    return conversations;
  }

  /** One line of chat JSONL, {@code number} counting from 1 for error messages. */
  public static Conversation parse(int number, String line) {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (JacksonException e) {
      throw DatasetException.atLine(number, "not valid JSON (" + e.getOriginalMessage() + ")");
    }
    JsonNode messages = root.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw DatasetException.atLine(
          number, "expected an object with a non-empty \"messages\" array");
    }
    List<Map<String, Object>> tools;
    try {
      JsonNode declared = root.path("tools");
      tools = declared.isMissingNode() || declared.isNull() ? List.of() : ToolCalls.tools(declared);
    } catch (IllegalArgumentException e) {
      throw DatasetException.atLine(number, e.getMessage());
    }
    List<ChatMessage> parsed = new ArrayList<>();
    boolean learns = false;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String where = "message " + (i + 1);
      String role = message.path("role").asString("");
      if (!ROLES.contains(role)) {
        throw DatasetException.atLine(
            number, where + " has role \"" + role + "\"; expected system, user, assistant or tool");
      }
      List<ToolCall> calls = List.of();
      JsonNode callsNode = message.path("tool_calls");
      if (role.equals("assistant") && !callsNode.isMissingNode() && !callsNode.isNull()) {
        try {
          calls = ToolCalls.read(callsNode);
        } catch (IllegalArgumentException e) {
          throw DatasetException.atLine(number, where + ": " + e.getMessage());
        }
      }
      JsonNode content = message.path("content");
      if (!calls.isEmpty() && (content.isMissingNode() || content.isNull())) {
        content = JSON.getNodeFactory().stringNode("");
      }
      if (!content.isString()) {
        throw DatasetException.atLine(number, where + " has no string \"content\"");
      }
      JsonNode weight = message.path("weight");
      boolean trainable = true;
      if (!weight.isMissingNode() && !weight.isNull()) {
        if (!role.equals("assistant")
            || !weight.isIntegralNumber()
            || (weight.asInt() != 0 && weight.asInt() != 1)) {
          throw DatasetException.atLine(
              number, where + ": \"weight\" must be 0 or 1 and only on assistant messages");
        }
        trainable = weight.asInt() == 1;
      }
      learns |= role.equals("assistant") && trainable;
      parsed.add(
          new ChatMessage(
              role,
              content.asString(),
              trainable,
              calls,
              textOrNull(message.path("tool_call_id")),
              textOrNull(message.path("name"))));
    }
    String toolProblem = ToolCalls.check(parsed, tools);
    if (toolProblem != null) {
      throw DatasetException.atLine(number, toolProblem);
    }
    if (!learns) {
      throw DatasetException.atLine(number, "no assistant message to learn from");
    }
    return new Conversation(number, parsed, tools);
  }

  private static @Nullable String textOrNull(JsonNode node) {
    return node.isString() ? node.asString() : null;
  }
}
