package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.DatasetInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * {@code {"instruction":…,"input":…,"output":…}} with optional {@code input} and {@code system}:
 * the instruction and input, a blank line apart, become the user turn. A {@link DatasetInfo} may
 * name other keys, and a {@code history} of earlier {@code [prompt, response]} pairs.
 */
final class AlpacaRows implements RowReader {
  private final String instructionKey;
  private final @Nullable String inputKey;
  private final String outputKey;
  private final @Nullable String systemKey;
  private final @Nullable String historyKey;

  AlpacaRows() {
    this("instruction", "input", "output", "system", null);
  }

  AlpacaRows(DatasetInfo info) {
    this(
        info.column("prompt"),
        info.column("query"),
        info.column("response"),
        info.column("system"),
        info.column("history"));
  }

  private AlpacaRows(
      @Nullable String instructionKey,
      @Nullable String inputKey,
      @Nullable String outputKey,
      @Nullable String systemKey,
      @Nullable String historyKey) {
    this.instructionKey = instructionKey == null ? "instruction" : instructionKey;
    this.inputKey = inputKey;
    this.outputKey = outputKey == null ? "output" : outputKey;
    this.systemKey = systemKey;
    this.historyKey = historyKey;
  }

  @Override
  public @Nullable String read(JsonParser p, ChatRowBuffer row) {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return "expected a JSON object with \"" + instructionKey + "\" and \"" + outputKey + "\"";
    }
    row.clear();
    long instruction = ChatRowBuffer.MISSING;
    long input = ChatRowBuffer.MISSING;
    long output = ChatRowBuffer.MISSING;
    long system = ChatRowBuffer.MISSING;
    History history = new History();
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals(instructionKey)) {
        instruction = RowReader.text(p, value, row);
      } else if (name.equals(inputKey)) {
        input = RowReader.optionalText(p, value, row);
      } else if (name.equals(outputKey)) {
        output = RowReader.text(p, value, row);
      } else if (name.equals(systemKey)) {
        system = RowReader.optionalText(p, value, row);
      } else if (name.equals(historyKey)) {
        history.read(p, value, row);
      } else {
        p.skipChildren();
      }
    }
    String problem = RowReader.requireText(instructionKey, instruction);
    if (problem == null && input == ChatRowBuffer.NOT_TEXT) {
      problem = "\"" + inputKey + "\" is not text";
    }
    if (problem == null) {
      problem = RowReader.requireText(outputKey, output);
    }
    if (problem == null && system == ChatRowBuffer.NOT_TEXT) {
      problem = "\"" + systemKey + "\" is not text";
    }
    if (problem == null) {
      problem = history.problem(historyKey);
    }
    if (problem != null) {
      return problem;
    }
    if (system != ChatRowBuffer.MISSING) {
      row.add(ChatRowBuffer.SYSTEM, system);
    }
    history.addTo(row);
    boolean hasInput = input != ChatRowBuffer.MISSING && ChatRowBuffer.length(input) > 0;
    row.add(ChatRowBuffer.USER, hasInput ? row.concat(instruction, "\n\n", input) : instruction);
    row.add(ChatRowBuffer.ASSISTANT, output);
    return null;
  }

  /** Earlier turns as {@code [["prompt", "response"], …]}, kept as spans until the row is whole. */
  private static final class History {
    private long[] turns = new long[0];
    private int size;
    private @Nullable String problem;

    void read(JsonParser p, JsonToken value, ChatRowBuffer row) {
      size = 0;
      problem = null;
      if (value == JsonToken.VALUE_NULL) {
        return;
      }
      if (value != JsonToken.START_ARRAY) {
        p.skipChildren();
        problem = "is not a list of [prompt, response] pairs";
        return;
      }
      int pair = 0;
      JsonToken element;
      while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
        pair++;
        if (element != JsonToken.START_ARRAY) {
          p.skipChildren();
          problem =
              problem == null ? "item " + pair + " is not a [prompt, response] pair" : problem;
          continue;
        }
        int texts = 0;
        JsonToken text;
        while ((text = p.nextToken()) != JsonToken.END_ARRAY) {
          long span = RowReader.text(p, text, row);
          if (span < 0 && problem == null) {
            problem = "item " + pair + " holds something that is not text";
          }
          add(span);
          texts++;
        }
        if (texts != 2 && problem == null) {
          problem = "item " + pair + " has " + texts + " texts; expected [prompt, response]";
        }
      }
    }

    private void add(long span) {
      if (size == turns.length) {
        turns = java.util.Arrays.copyOf(turns, Math.max(8, size * 2));
      }
      turns[size++] = span;
    }

    @Nullable String problem(@Nullable String key) {
      return problem == null ? null : "\"" + key + "\" " + problem;
    }

    void addTo(ChatRowBuffer row) {
      for (int i = 0; i + 1 < size; i += 2) {
        row.add(ChatRowBuffer.USER, turns[i]);
        row.add(ChatRowBuffer.ASSISTANT, turns[i + 1]);
      }
    }
  }
}
