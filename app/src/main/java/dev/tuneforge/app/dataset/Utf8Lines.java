package dev.tuneforge.app.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines as byte ranges of one reused buffer, checking each line's UTF-8 on its own so
 * that an encoding error is reported on the line where it is, not where a read-ahead buffer
 * happened to end. Lines are not decoded to strings: the JSON parser reads the bytes.
 */
final class Utf8Lines implements AutoCloseable {
  /** A line that is not valid UTF-8. */
  static final class NotUtf8 extends IOException {
    NotUtf8() {
      super("not UTF-8");
    }
  }

  private final InputStream in;
  private final int maxLineBytes;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private CharBuffer decoded = CharBuffer.allocate(1024);
  private byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private boolean endOfInput;
  private int lineStart;
  private int lineLength;
  private boolean tooLong;

  Utf8Lines(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Moves to the next line; false at the end. A line longer than the limit is skipped and
   * reported by {@link #tooLong()} rather than held in memory.
   */
  boolean next() throws IOException {
    tooLong = false;
    int scan = position;
    while (true) {
      for (int i = scan; i < limit; i++) {
        if (buffer[i] == '\n') {
          return line(i, i + 1);
        }
      }
      scan = limit;
      if (endOfInput) {
        return position < limit || tooLong ? line(limit, limit) : false;
      }
      if (position > 0) {
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        scan -= position;
        limit -= position;
        position = 0;
      }
      if (limit == buffer.length) {
        if (buffer.length >= maxLineBytes) {
          tooLong = true;
          limit = 0;
          scan = 0;
        } else {
          buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxLineBytes));
        }
      }
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        endOfInput = true;
      } else {
        limit += read;
      }
    }
  }

  private boolean line(int end, int next) throws NotUtf8 {
    lineStart = position;
    lineLength = end - position;
    position = next;
    if (tooLong) {
      lineLength = 0;
      return true;
    }
    if (lineLength > 0 && buffer[end - 1] == '\r') {
      lineLength--;
    }
    checkUtf8();
    return true;
  }

  private void checkUtf8() throws NotUtf8 {
    int end = lineStart + lineLength;
    for (int i = lineStart; i < end; i++) {
      if (buffer[i] < 0) {
        if (decoded.capacity() < lineLength) {
          decoded = CharBuffer.allocate(lineLength);
        }
        decoded.clear();
        ByteBuffer bytes = ByteBuffer.wrap(buffer, i, end - i);
        if (decoder.reset().decode(bytes, decoded, true).isError()) {
          throw new NotUtf8();
        }
        return;
      }
    }
  }

  /** The buffer holding the current line; valid until the next call of {@link #next()}. */
  byte[] bytes() {
    return buffer;
  }

  int start() {
    return lineStart;
  }

  int length() {
    return lineLength;
  }

  /** Whether the current line was longer than the limit (and so was skipped). */
  boolean tooLong() {
    return tooLong;
  }

  boolean isBlank() {
    int end = lineStart + lineLength;
    for (int i = lineStart; i < end; i++) {
      byte b = buffer[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\f' && b != 0x0B) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
