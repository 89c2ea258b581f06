package dev.tuneforge.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads preference JSONL as the app stores it, {@code {"prompt":[messages], "chosen":[messages],
 * "rejected":[messages]}}, one pair per line. Each answer becomes a conversation of the prompt and
 * that answer, learned only on the answer: the prompt's own assistant turns get weight 0.
 */
public final class PreferenceDataset {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private PreferenceDataset() {}

  /** One pair: the prompt with its chosen answer, and the prompt with its rejected answer. */
  public record Pair(int line, Conversation chosen, Conversation rejected) {}

  public static List<Pair> read(Path jsonl) throws IOException {
    List<Pair> pairs = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (!line.isBlank()) {
          pairs.add(parse(number, line));
        }
      }
    }
    if (pairs.isEmpty()) {
      throw new DatasetException("the dataset has no preference pairs");
    }
    return pairs;
  }

  /** One line of preference JSONL, {@code number} counting from 1 for error messages. */
  public static Pair parse(int number, String line) {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (JacksonException e) {
      throw DatasetException.atLine(number, "not valid JSON (" + e.getOriginalMessage() + ")");
    }
    for (String key : List.of("prompt", "chosen", "rejected")) {
      if (!root.path(key).isArray() || root.path(key).isEmpty()) {
        throw DatasetException.atLine(
            number,
            "expected a preference pair with non-empty \"prompt\", \"chosen\" and \"rejected\""
                + " message arrays");
      }
    }
    return new Pair(number, answered(number, root, "chosen"), answered(number, root, "rejected"));
  }

  /** The prompt and one answer as a chat row, read as {@link ChatDataset} reads one. */
  private static Conversation answered(int number, JsonNode root, String answer) {
    ArrayNode messages = JSON.createArrayNode();
    for (JsonNode message : root.path("prompt")) {
      if (message instanceof ObjectNode object
          && "assistant".equals(object.path("role").asString(""))) {
        messages.add(object.deepCopy().put("weight", 0));
      } else {
        messages.add(message);
      }
    }
    root.path(answer).forEach(messages::add);
    ObjectNode row = JSON.createObjectNode();
    row.set("messages", messages);
    try {
      return ChatDataset.parse(number, row.toString());
    } catch (DatasetException e) {
      throw new DatasetException(e.getMessage() + " (the " + answer + " answer with its prompt)");
    }
  }
}
