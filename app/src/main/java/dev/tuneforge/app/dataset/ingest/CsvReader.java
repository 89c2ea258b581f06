package dev.tuneforge.app.dataset.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Streams RFC 4180 records: comma-separated fields, optionally in double quotes, where a quoted
 * field may hold commas, newlines and doubled quotes ({@code ""}). One record (at most {@code
 * maxRecordChars}) is held at a time. Lines end in LF or CRLF; a UTF-8 byte order mark is skipped.
 */
final class CsvReader implements AutoCloseable {
  /** A problem that ends the reading: the rest of the file cannot be split into records. */
  static final class Broken extends IOException {
    Broken(String message) {
      super(message);
    }
  }

  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 14).flip();
  private boolean endOfInput;
  private boolean malformed;
  private boolean flushed;
  private final int maxRecordChars;
  private final char[] buffer = new char[1 << 14];
  private int position;
  private int limit;
  private int line = 1;
  private boolean started;
  private final List<String> fields = new ArrayList<>();
  private final StringBuilder field = new StringBuilder();
  private int recordLine;
  private @Nullable String problem;

  /** Whether the current field was quoted (a quote after its closing one is then misplaced). */
  private boolean quoted;

  private boolean blank;

  /**
   * Characters of the current record so far, quoted ones included, against {@code maxRecordChars}.
   */
  private int chars;

  CsvReader(InputStream in, int maxRecordChars) {
    this.in = in;
    this.maxRecordChars = maxRecordChars;
  }

  /**
   * Reads the next record; false at the end of the file. A record with a misplaced quote is still
   * read to its end and reported by {@link #problem()}.
   *
   * @throws Broken for an unterminated quote, a record over the limit or text that is not UTF-8
   */
  boolean next() throws IOException {
    fields.clear();
    field.setLength(0);
    quoted = false;
    problem = null;
    if (!started) {
      started = true;
      if (peek() == '\uFEFF') {
        position++;
      }
    }
    if (peek() < 0) {
      return false;
    }
    recordLine = line;
    chars = 0;
    while (true) {
      int c = read();
      if (c < 0 || c == '\n') {
        blank = fields.isEmpty() && field.toString().isBlank() && !quoted;
        endField();
        return true;
      }
      if (c == '\r' && peek() == '\n') {
        continue;
      }
      if (++chars > maxRecordChars) {
        throw tooLong(recordLine);
      }
      if (c == ',') {
        endField();
      } else if (c == '"' && field.isEmpty() && !quoted) {
        readQuoted();
      } else {
        if (c == '"' && problem == null) {
          problem =
              "a quote inside an unquoted field (column "
                  + (fields.size() + 1)
                  + "); quote the whole field and double the quote";
        }
        field.append((char) c);
      }
    }
  }

  /** Reads a quoted field after its opening quote, up to and including the closing quote. */
  private void readQuoted() throws IOException {
    quoted = true;
    int startLine = line;
    while (true) {
      int c = read();
      if (c < 0) {
        throw new Broken(
            "line "
                + startLine
                + ": a quoted field (column "
                + (fields.size() + 1)
                + ") is never closed; the file ends inside it");
      }
      if (++chars > maxRecordChars) {
        throw new Broken(
            "line "
                + startLine
                + ": a quoted field (column "
                + (fields.size() + 1)
                + ") takes the record past "
                + millions(maxRecordChars)
                + " characters; is its closing quote missing?");
      }
      if (c == '"') {
        if (peek() == '"') {
          position++;
          field.append('"');
          continue;
        }
        int after = peek();
        if (after >= 0 && after != ',' && after != '\n' && after != '\r' && problem == null) {
          problem = "text after the closing quote of column " + (fields.size() + 1);
        }
        return;
      }
      field.append((char) c);
    }
  }

  private Broken tooLong(int line) {
    return new Broken(
        "line " + line + ": the record is longer than " + millions(maxRecordChars) + " characters");
  }

  private static String millions(int chars) {
    return chars >= 1 << 20 ? (chars >> 20) + " M" : String.valueOf(chars);
  }

  private void endField() {
    fields.add(field.toString());
    field.setLength(0);
    quoted = false;
  }

  private int peek() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position];
  }

  private int read() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    char c = buffer[position++];
    if (c == '\n') {
      line++;
    }
    return c;
  }

  /**
   * Decodes the next chars. The chars before a malformed byte are delivered first, so the error is
   * reported on the line where the byte is.
   */
  private boolean fill() throws IOException {
    while (true) {
      if (malformed) {
        throw new Broken("line " + line + ": the file is not UTF-8 text");
      }
      if (flushed) {
        return false;
      }
      CharBuffer out = CharBuffer.wrap(buffer);
      CoderResult result = decoder.decode(bytes, out, endOfInput);
      malformed = result.isError();
      if (endOfInput && !malformed) {
        decoder.flush(out);
        flushed = true;
      }
      if (out.position() > 0) {
        position = 0;
        limit = out.position();
        return true;
      }
      if (!malformed) {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
          endOfInput = true;
        } else {
          bytes.position(bytes.position() + n);
        }
        bytes.flip();
      }
    }
  }

  /** The fields of the current record, valid until the next call of {@link #next()}. */
  List<String> fields() {
    return fields;
  }

  /** The line the current record starts on (1-based, counting the header). */
  int line() {
    return recordLine;
  }

  /** A misplaced quote in the current record, or null. */
  @Nullable String problem() {
    return problem;
  }

  /** Whether the current record is an empty line. */
  boolean isBlank() {
    return blank;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
