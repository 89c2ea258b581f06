package dev.tuneforge.app.dataset.ingest;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * {@code {"prompt":…,"completion":…}}: the prompt becomes the user turn, the completion the answer.
 */
final class PromptCompletionRows implements RowReader {

  @Override
  public @Nullable String read(JsonParser p, ChatRowBuffer row) {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return "expected a JSON object with \"prompt\" and \"completion\"";
    }
    row.clear();
    long prompt = ChatRowBuffer.MISSING;
    long completion = ChatRowBuffer.MISSING;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "prompt" -> prompt = RowReader.text(p, value, row);
        case "completion" -> completion = RowReader.text(p, value, row);
        default -> p.skipChildren();
      }
    }
    String problem = RowReader.requireText("prompt", prompt);
    if (problem == null) {
      problem = RowReader.requireText("completion", completion);
    }
    if (problem != null) {
      return problem;
    }
    row.add(ChatRowBuffer.USER, prompt);
    row.add(ChatRowBuffer.ASSISTANT, completion);
    return null;
  }
}
