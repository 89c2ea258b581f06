package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.DatasetInfo;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON upload that is one document rather than one row per line: a JSON array of rows, streamed
 * element by element (only one row is held at a time), or a pretty-printed object, which is not
 * rows and is explained instead. Each element is handed on as one line of compact JSON, all ASCII
 * (other characters escaped), so that it is read and checked exactly as a JSONL line is.
 */
final class JsonDocument {
  /** What an upload's first bytes say it is. */
  enum Kind {
    /** One row per line. */
    LINES,
    /** {@code [ {…}, {…} ]}. */
    ARRAY,
    /** One JSON object over several lines. */
    OBJECT
  }

  /** Receives each element of the array in turn. */
  interface RowSink {
    /**
     * @param bytes the element as one line of compact JSON, from 0 to {@code length}
     * @param row its place in the array, counted from 1
     * @param tooLong the element is longer than the limit; {@code bytes} holds only its start
     */
    void row(byte[] bytes, int length, int row, boolean tooLong) throws IOException;
  }

  /** A syntax error: the rest of the document cannot be read, so it is the file's problem. */
  static final class Broken extends Exception {
    Broken(String message) {
      super(message);
    }
  }

  private static final int PEEK = 1 << 16;
  private static final JsonMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .rootValueSeparator((String) null)
                  .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                  .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                  .build())
          .build();

  private JsonDocument() {}

  /** A generator that writes values as compact JSON lines of ASCII, as rows are handed on. */
  static JsonGenerator generator(OutputStream out) {
    return JSON.createGenerator(out);
  }

  /**
   * Looks at the start of {@code in} (which must support mark) without consuming it: an array when
   * the first character that is not white space is {@code [}; an object over several lines when it
   * is {@code {} and its first line is not a whole JSON value; else lines.
   */
  static Kind sniff(BufferedInputStream in) throws IOException {
    in.mark(PEEK);
    byte[] head = in.readNBytes(PEEK);
    in.reset();
    int i = 0;
    if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB) {
      i = 3;
    }
    while (i < head.length && isSpace(head[i])) {
      i++;
    }
    if (i == head.length) {
      return Kind.LINES;
    }
    if (head[i] == '[') {
      return Kind.ARRAY;
    }
    if (head[i] != '{') {
      return Kind.LINES;
    }
    int end = i;
    while (end < head.length && head[end] != '\n') {
      end++;
    }
    if (end == head.length) {
      return Kind.LINES;
    }
    try (JsonParser p = JSON.createParser(head, i, end - i)) {
      p.nextToken();
      p.skipChildren();
      return Kind.LINES;
    } catch (JacksonException e) {
      return e.getMessage().contains("end-of-input") ? Kind.OBJECT : Kind.LINES;
    }
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /**
   * Reads the array in {@code in} to its end, handing each element to {@code sink}.
   *
   * @return how many elements it has
   * @throws Broken when the document is not valid JSON, naming the row and where in the file
   */
  static int readArray(InputStream in, int maxRowBytes, RowSink sink) throws IOException, Broken {
    RowBytes out = new RowBytes(maxRowBytes);
    int row = 0;
    int reading = 1;
    try (JsonParser p = JSON.createParser(in);
        JsonGenerator g = generator(out)) {
      try {
        p.nextToken();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          row++;
          out.reset();
          g.copyCurrentStructure(p);
          g.flush();
          sink.row(out.bytes(), out.length(), row, out.overflow());
          reading = row + 1;
        }
      } catch (JacksonException e) {
        throw new Broken(brokenAt(reading, e));
      }
      try {
        if (p.nextToken() != null) {
          throw new Broken(
              "after the array's closing ] the file goes on ("
                  + at(p.currentTokenLocation())
                  + "): a file holds one array of rows");
        }
      } catch (JacksonException e) {
        throw new Broken("after the array's closing ]: " + e.getOriginalMessage());
      }
    }
    return row;
  }

  private static String brokenAt(int row, JacksonException e) {
    TokenStreamLocation where = e.getLocation();
    return "row "
        + row
        + " (index "
        + (row - 1)
        + (where == null || where.getLineNr() < 0 ? "" : ", " + at(where))
        + "): not valid JSON ("
        + e.getOriginalMessage()
        + "); the rest of the file cannot be read";
  }

  private static String at(TokenStreamLocation where) {
    return "line " + where.getLineNr() + ", column " + where.getColumnNr();
  }

  /**
   * Why a pretty-printed object is not an upload of rows, and what to upload instead: it may be
   * LLaMA-Factory's {@code dataset_info.json}, a single row, or an object holding rows under a key.
   */
  static String describeObject(InputStream in) throws IOException {
    List<String> keys = new ArrayList<>();
    List<String> arrays = new ArrayList<>();
    int entries = 0;
    try (JsonParser p = JSON.createParser(in)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String key = p.currentName();
        keys.add(key);
        JsonToken value = p.nextToken();
        if (value == JsonToken.START_ARRAY) {
          int items = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            items++;
          }
          arrays.add("\"" + key + "\" holds an array of " + items);
        } else if (value == JsonToken.START_OBJECT) {
          entries += describesDataset(p) ? 1 : 0;
        } else {
          p.skipChildren();
        }
      }
    } catch (JacksonException e) {
      return (e.getLocation() == null ? "" : at(e.getLocation()) + ": ")
          + "not valid JSON ("
          + e.getOriginalMessage()
          + ")";
    }
    String quoted = String.join(", ", keys.stream().map(k -> "\"" + k + "\"").toList());
    if (entries > 0 && entries == keys.size()) {
      return "this is a "
          + DatasetInfo.FILE_NAME
          + " (a description of "
          + entries
          + " datasets), not rows: upload it first, then the data file it describes";
    }
    if (DatasetNormalizer.isRowLayout(keys)) {
      return "the file is one JSON object over several lines (a single row with "
          + quoted
          + "): put each row on a line of its own (JSONL) or the rows in a JSON array [{…}, {…}]";
    }
    return "the file is one JSON object with "
        + quoted
        + (arrays.isEmpty() ? "" : " (" + String.join(", ", arrays) + ")")
        + ", not rows: upload JSONL (one row per line) or a JSON array of rows [{…}, {…}]";
  }

  /** Reads an object's keys to its end; whether they are those of a dataset_info.json entry. */
  private static boolean describesDataset(JsonParser p) {
    boolean entry = false;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String key = p.currentName();
      entry |= key.equals("file_name") || key.equals("formatting") || key.equals("columns");
      p.nextToken();
      p.skipChildren();
    }
    return entry;
  }
}
