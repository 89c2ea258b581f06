package dev.tuneforge.app.dataset;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * {@code {"instruction":…,"input":…,"output":…}} with optional {@code input} and {@code system}:
 * the instruction and input, a blank line apart, become the user turn.
 */
final class AlpacaRows implements RowReader {

  @Override
  public @Nullable String read(JsonParser p, Conversation row) {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return "expected a JSON object with \"instruction\" and \"output\"";
    }
    row.clear();
    long instruction = Conversation.MISSING;
    long input = Conversation.MISSING;
    long output = Conversation.MISSING;
    long system = Conversation.MISSING;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "instruction" -> instruction = RowReader.text(p, value, row);
        case "input" -> input = RowReader.optionalText(p, value, row);
        case "output" -> output = RowReader.text(p, value, row);
        case "system" -> system = RowReader.optionalText(p, value, row);
        default -> p.skipChildren();
      }
    }
    String problem = RowReader.requireText("instruction", instruction);
    if (problem == null && input == Conversation.NOT_TEXT) {
      problem = "\"input\" is not text";
    }
    if (problem == null) {
      problem = RowReader.requireText("output", output);
    }
    if (problem == null && system == Conversation.NOT_TEXT) {
      problem = "\"system\" is not text";
    }
    if (problem != null) {
      return problem;
    }
    if (system != Conversation.MISSING) {
      row.add(Conversation.SYSTEM, system);
    }
    boolean hasInput = input != Conversation.MISSING && Conversation.length(input) > 0;
    row.add(Conversation.USER, hasInput ? row.concat(instruction, "\n\n", input) : instruction);
    row.add(Conversation.ASSISTANT, output);
    return null;
  }
}
