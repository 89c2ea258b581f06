package dev.tuneforge.app.dataset.ingest;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * {@code {"instruction":…,"input":…,"output":…}} with optional {@code input} and {@code system}:
 * the instruction and input, a blank line apart, become the user turn.
 */
final class AlpacaRows implements RowReader {

  @Override
  public @Nullable String read(JsonParser p, ChatRowBuffer row) {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return "expected a JSON object with \"instruction\" and \"output\"";
    }
    row.clear();
    long instruction = ChatRowBuffer.MISSING;
    long input = ChatRowBuffer.MISSING;
    long output = ChatRowBuffer.MISSING;
    long system = ChatRowBuffer.MISSING;
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
    if (problem == null && input == ChatRowBuffer.NOT_TEXT) {
      problem = "\"input\" is not text";
    }
    if (problem == null) {
      problem = RowReader.requireText("output", output);
    }
    if (problem == null && system == ChatRowBuffer.NOT_TEXT) {
      problem = "\"system\" is not text";
    }
    if (problem != null) {
      return problem;
    }
    if (system != ChatRowBuffer.MISSING) {
      row.add(ChatRowBuffer.SYSTEM, system);
    }
    boolean hasInput = input != ChatRowBuffer.MISSING && ChatRowBuffer.length(input) > 0;
    row.add(ChatRowBuffer.USER, hasInput ? row.concat(instruction, "\n\n", input) : instruction);
    row.add(ChatRowBuffer.ASSISTANT, output);
    return null;
  }
}
