package dev.tuneforge.app.teacher;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The fields a run's documents are read for: the keys of every extraction, with what they mean. */
public record ExtractionSchema(List<Field> fields) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public record Field(String name, String description) {}

  public ExtractionSchema {
    fields = List.copyOf(fields);
  }

  /**
   * Reads one field a line, {@code name: description}; blank lines are skipped.
   *
   * @throws IllegalArgumentException naming the line that is wrong
   */
  public static ExtractionSchema parse(String text) {
    List<Field> fields = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    String[] lines = text.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      String name = (colon < 0 ? line : line.substring(0, colon)).strip();
      String description = colon < 0 ? "" : line.substring(colon + 1).strip();
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "Schema line "
                + (i + 1)
                + ": '"
                + name
                + "' is not a field name (letters, digits and _, not starting with a digit)");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException(
            "Schema line " + (i + 1) + ": the field '" + name + "' is listed twice");
      }
      fields.add(new Field(name, description));
    }
    if (fields.isEmpty()) {
      throw new IllegalArgumentException(
          "The schema needs at least one field, one a line as 'name: description'");
    }
    return new ExtractionSchema(fields);
  }

  public List<String> names() {
    return fields.stream().map(Field::name).toList();
  }

  /** The schema as the user writes it, one {@code name: description} a line. */
  public String toText() {
    StringBuilder text = new StringBuilder();
    for (Field field : fields) {
      text.append(field.name()).append(": ").append(field.description()).append('\n');
    }
    return text.toString();
  }

  /** The system prompt of the extraction stage and of every row of the resulting dataset. */
  public String systemPrompt() {
    StringBuilder prompt =
        new StringBuilder(
            "Extract the following fields from the document. Answer with one JSON object that has exactly these keys;"
                + " use null for a field the document does not give.\n");
    for (Field field : fields) {
      prompt.append("- ").append(field.name());
      if (!field.description().isEmpty()) {
        prompt.append(": ").append(field.description());
      }
      prompt.append('\n');
    }
    return prompt.toString().strip();
  }

  String toJson() {
    ArrayNode array = JSON.createArrayNode();
    for (Field field : fields) {
      ObjectNode node = array.addObject();
      node.put("name", field.name());
      node.put("description", field.description());
    }
    return JSON.writeValueAsString(array);
  }

  static ExtractionSchema fromJson(String json) {
    List<Field> fields = new ArrayList<>();
    for (JsonNode node : JSON.readTree(json)) {
      fields.add(new Field(node.get("name").asString(), node.get("description").asString()));
    }
    return new ExtractionSchema(fields);
  }
}
