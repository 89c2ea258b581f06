package dev.tuneforge.app.dataset.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes rows as canonical chat JSONL, byte for byte as Jackson's generator writes them (escapes
 * {@code " \ \b \t \n \f \r}, other control characters as upper-case &#92;u00XX, everything else as
 * UTF-8), straight from the row's char buffer into one byte buffer. Text that the upload holds as a
 * JSON string ({@link ChatRowBuffer#jsonStart}) is not encoded again: its runs without escapes are
 * copied as they are, and only its escapes are rewritten. A row with a surrogate char, rare, is
 * handed to Jackson's generator itself, so that how surrogates are written stays Jackson's.
 * Flushing writes to the stream; the stream is never closed here.
 */
final class CanonicalWriter {
  private static final byte[][] ROLES = {
    ascii("{\"role\":\"system\",\"content\":\""),
    ascii("{\"role\":\"user\",\"content\":\""),
    ascii("{\"role\":\"assistant\",\"content\":\"")
  };
  private static final byte[] OPEN = ascii("{\"messages\":[");
  private static final byte[] WEIGHT = ascii("\",\"weight\":");
  private static final byte[] CLOSE = ascii("]}\n");
  private static final byte[] HEX = ascii("0123456789ABCDEF");

  /** Per ASCII char: 0 when written as it is, else the char after the backslash (u: &#92;u00XX). */
  private static final byte[] ESCAPES = new byte[128];

  /** Room for a message's fixed parts besides its text. */
  private static final int MESSAGE_OVERHEAD = 64;

  private static final JsonMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .rootValueSeparator((String) null)
                  .disable(
                      StreamWriteFeature.AUTO_CLOSE_TARGET,
                      StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
                  .build())
          .build();

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = 'u';
    }
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\n'] = 'n';
    ESCAPES['\f'] = 'f';
    ESCAPES['\r'] = 'r';
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
  }

  private final OutputStream out;
  private final byte[] buffer;
  private int size;
  private @Nullable JsonGenerator jackson;

  CanonicalWriter(OutputStream out) {
    this(out, 1 << 18);
  }

  CanonicalWriter(OutputStream out, int bufferSize) {
    this.out = out;
    this.buffer = new byte[bufferSize];
  }

  /** Writes the row as one line; every message must be valid. */
  void write(ChatRowBuffer row) throws IOException {
    if (row.usesTools()) {
      // Rare, and more than role, content and weight: Jackson writes it whole.
      writeWithJackson(row);
      return;
    }
    long worst = OPEN.length + CLOSE.length;
    for (int i = 0; i < row.size(); i++) {
      worst += MESSAGE_OVERHEAD + 6L * row.textLength(i);
    }
    if (worst > buffer.length - size) {
      flushBuffer();
    }
    if (worst > buffer.length) {
      if (hasSurrogate(row)) {
        writeWithJackson(row);
      } else {
        tryWrite(row);
      }
    } else if (!tryWrite(row)) {
      writeWithJackson(row);
    }
  }

  /** Writes what is buffered to the stream and flushes it. */
  void flush() throws IOException {
    flushBuffer();
    out.flush();
  }

  /**
   * Appends the row; false, with nothing appended, at its first surrogate. The buffer has room for
   * the row's longest escaping, unless the row is larger than the buffer: then it has no surrogate
   * and is written out as the buffer fills.
   */
  private boolean tryWrite(ChatRowBuffer row) throws IOException {
    int rowStart = size;
    raw(OPEN);
    for (int i = 0; i < row.size(); i++) {
      if (i > 0) {
        raw(',');
      }
      raw(ROLES[row.role(i)]);
      byte[] source = row.source();
      if (source != null && row.jsonStart(i) >= 0) {
        rewrite(source, row.jsonStart(i), row.jsonStart(i) + row.jsonLength(i));
      } else if (!string(row.chars(), row.textStart(i), row.textStart(i) + row.textLength(i))) {
        size = rowStart;
        return false;
      }
      if (row.weight(i) == ChatRowBuffer.NO_WEIGHT) {
        raw('"');
      } else {
        raw(WEIGHT);
        raw((byte) ('0' + row.weight(i)));
      }
      raw('}');
    }
    raw(CLOSE);
    return true;
  }

  /**
   * Appends a JSON string's content (well-formed UTF-8, escapes valid, no surrogate) as canonical
   * JSON writes its text: what lies between escapes is copied, each escape is written anew.
   */
  private void rewrite(byte[] json, int start, int end) throws IOException {
    int i = start;
    while (i < end) {
      int escape = JsonBytes.nextBackslash(json, i, end);
      raw(json, i, escape - i);
      if (escape == end) {
        return;
      }
      byte kind = json[escape + 1];
      i = escape + 2;
      char c =
          switch (kind) {
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
              i += 4;
              yield ChatRowBuffer.unicodeEscape(json, escape);
            }
            default -> (char) kind;
          };
      if (buffer.length - size < 6) {
        flushBuffer();
      }
      size = put(c, buffer, size);
    }
  }

  /**
   * Writes one char that is not a surrogate at {@code p}, which has room for 6 bytes; the position
   * after.
   */
  private static int put(char c, byte[] b, int p) {
    if (c < 0x80) {
      byte escape = ESCAPES[c];
      if (escape == 0) {
        b[p++] = (byte) c;
      } else if (escape != 'u') {
        b[p++] = '\\';
        b[p++] = escape;
      } else {
        b[p++] = '\\';
        b[p++] = 'u';
        b[p++] = '0';
        b[p++] = '0';
        b[p++] = HEX[c >> 4];
        b[p++] = HEX[c & 0xF];
      }
    } else if (c < 0x800) {
      b[p++] = (byte) (0xC0 | (c >> 6));
      b[p++] = (byte) (0x80 | (c & 0x3F));
    } else {
      b[p++] = (byte) (0xE0 | (c >> 12));
      b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
      b[p++] = (byte) (0x80 | (c & 0x3F));
    }
    return p;
  }

  /** Appends the text's escaped UTF-8; false at the first surrogate. */
  private boolean string(char[] text, int start, int end) throws IOException {
    int i = start;
    while (i < end) {
      if (buffer.length - size < 6) {
        flushBuffer();
      }
      byte[] b = buffer;
      int p = size;
      int stop = Math.min(end, i + (b.length - p) / 6);
      while (i < stop) {
        char c = text[i++];
        if (Character.isSurrogate(c)) {
          size = p;
          return false;
        }
        p = put(c, b, p);
      }
      size = p;
    }
    return true;
  }

  private static boolean hasSurrogate(ChatRowBuffer row) {
    char[] text = row.chars();
    for (int i = 0; i < row.size(); i++) {
      for (int j = row.textStart(i), end = j + row.textLength(i); j < end; j++) {
        if (Character.isSurrogate(text[j])) {
          return true;
        }
      }
    }
    return false;
  }

  private void writeWithJackson(ChatRowBuffer row) throws IOException {
    flushBuffer();
    if (jackson == null) {
      jackson = JSON.createGenerator(out);
    }
    row.writeTo(jackson);
    jackson.flush();
  }

  private void raw(byte[] bytes) throws IOException {
    if (buffer.length - size < bytes.length) {
      flushBuffer();
    }
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  private void raw(byte[] bytes, int offset, int length) throws IOException {
    if (buffer.length - size < length) {
      flushBuffer();
      if (length > buffer.length) {
        out.write(bytes, offset, length);
        return;
      }
    }
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
  }

  private void raw(char c) throws IOException {
    raw((byte) c);
  }

  private void raw(byte b) throws IOException {
    if (size == buffer.length) {
      flushBuffer();
    }
    buffer[size++] = b;
  }

  private void flushBuffer() throws IOException {
    if (size > 0) {
      out.write(buffer, 0, size);
      size = 0;
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
