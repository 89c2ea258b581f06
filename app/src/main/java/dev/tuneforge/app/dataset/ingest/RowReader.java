package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.DatasetInfo;
import dev.tuneforge.chat.ToolCalls;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads one row of a format into a {@link ChatRowBuffer}. It consumes exactly one JSON value so
 * that a syntax error anywhere in the line is seen before the row's first problem is reported.
 */
interface RowReader {
  /** The row's first problem, or null when the conversation is complete and learnable. */
  @Nullable String read(JsonParser p, ChatRowBuffer row);

  static RowReader of(DatasetFormat format) {
    return switch (format) {
      case CHAT -> new ChatRows();
      case PROMPT_COMPLETION -> new PromptCompletionRows();
      case ALPACA -> new AlpacaRows();
      case SHAREGPT -> new ShareGptRows();
      case CSV, PARQUET, PREFERENCE ->
          throw new IllegalArgumentException(format.label() + " rows are not read as JSON rows");
    };
  }

  /** The reader of rows whose keys a LLaMA-Factory {@code dataset_info.json} entry names. */
  static RowReader of(DatasetInfo info) {
    return info.shareGpt() ? new ShareGptRows(info) : new AlpacaRows(info);
  }

  /** The span of a string value, or {@link ChatRowBuffer#NOT_TEXT} after skipping anything else. */
  static long text(JsonParser p, JsonToken token, ChatRowBuffer row) {
    if (token == JsonToken.VALUE_STRING) {
      return row.copyText(p);
    }
    p.skipChildren();
    return ChatRowBuffer.NOT_TEXT;
  }

  /** Like {@link #text}, with JSON null read as absent: for optional keys. */
  static long optionalText(JsonParser p, JsonToken token, ChatRowBuffer row) {
    return token == JsonToken.VALUE_NULL ? ChatRowBuffer.MISSING : text(p, token, row);
  }

  /** A row's {@code tools} declaration, whatever its form; a problem is noted on the row. */
  static void tools(JsonParser p, JsonToken value, ChatRowBuffer row) {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    try {
      row.setTools(ToolCalls.tools(p.readValueAsTree()));
    } catch (IllegalArgumentException e) {
      row.toolProblem(e.getMessage());
    }
  }

  /** "missing ..." or "... is not text" for a required key, or null when it is a string. */
  static @Nullable String requireText(String key, long span) {
    if (span == ChatRowBuffer.MISSING) {
      return "missing \"" + key + "\"";
    }
    if (span == ChatRowBuffer.NOT_TEXT) {
      return "\"" + key + "\" is not text";
    }
    return null;
  }
}
