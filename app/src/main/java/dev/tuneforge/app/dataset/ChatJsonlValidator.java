package dev.tuneforge.app.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates OpenAI chat JSONL one line at a time, so memory stays bounded whatever the file's
 * size. Blank lines are skipped; every other line must be one conversation.
 */
public final class ChatJsonlValidator {
  public static final int MAX_LISTED_PROBLEMS = 200;
  private static final Set<String> ROLES = Set.of("system", "user", "assistant");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public ValidationReport validate(InputStream input) throws IOException {
    List<String> problems = new ArrayList<>();
    int problemCount = 0;
    int rows = 0;
    int lineNumber = 0;
    try (Utf8Lines lines = new Utf8Lines(input)) {
      while (true) {
        String line;
        try {
          line = lines.next();
        } catch (Utf8Lines.NotUtf8 e) {
          problems.add("line " + (lineNumber + 1) + ": the file is not UTF-8 text");
          problemCount++;
          break;
        }
        if (line == null) {
          break;
        }
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String problem = checkLine(line);
        if (problem == null) {
          rows++;
        } else {
          problemCount++;
          if (problems.size() < MAX_LISTED_PROBLEMS) {
            problems.add("line " + lineNumber + ": " + problem);
          }
        }
      }
    }
    if (rows == 0 && problemCount == 0) {
      problems.add("the file is empty: it has no conversations");
      problemCount = 1;
    }
    return new ValidationReport(rows, List.copyOf(problems), problemCount);
  }

  static @Nullable String checkLine(String line) {
    JsonNode row;
    try {
      row = JSON.readTree(line);
    } catch (JacksonException e) {
      return "not valid JSON (" + e.getOriginalMessage() + ")";
    }
    if (row == null || !row.isObject()) {
      return "expected a JSON object with a \"messages\" array";
    }
    JsonNode messages = row.get("messages");
    if (messages == null || !messages.isArray()) {
      return "missing the \"messages\" array";
    }
    if (messages.isEmpty()) {
      return "\"messages\" is empty";
    }
    boolean learnable = false;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String where = "message " + (i + 1);
      if (!message.isObject()) {
        return where + " is not an object";
      }
      JsonNode role = message.get("role");
      if (role == null || !role.isString()) {
        return where + " has no \"role\"";
      }
      if (!ROLES.contains(role.stringValue())) {
        return where + " has role \"" + role.stringValue() + "\"; expected system, user or assistant";
      }
      JsonNode content = message.get("content");
      if (content == null || !content.isString()) {
        return where + " has no text \"content\"";
      }
      JsonNode weight = message.get("weight");
      if (weight != null && !(weight.isIntegralNumber() && (weight.intValue() == 0 || weight.intValue() == 1))) {
        return where + " has \"weight\" " + weight + "; expected 0 or 1";
      }
      if (role.stringValue().equals("assistant") && (weight == null || weight.intValue() == 1)) {
        learnable = true;
      }
    }
    if (!learnable) {
      return "no assistant message to learn from";
    }
    return null;
  }
}
