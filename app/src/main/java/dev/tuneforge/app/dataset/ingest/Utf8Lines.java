package dev.tuneforge.app.dataset.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads lines as byte ranges of one reused buffer, checking each line's UTF-8 on its own so that an
 * encoding error is reported on the line where it is, not where a read-ahead buffer happened to
 * end. Lines are not decoded to strings: the JSON parser reads the bytes.
 */
final class Utf8Lines implements AutoCloseable {
  /** A line that is not valid UTF-8. */
  static final class NotUtf8 extends IOException {
    NotUtf8() {
      super("not UTF-8");
    }
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final InputStream in;
  private final int maxLineBytes;
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
   * Moves to the next line; false at the end. A line longer than the limit is skipped and reported
   * by {@link #tooLong()} rather than held in memory.
   */
  boolean next() throws IOException {
    tooLong = false;
    int scan = position;
    while (true) {
      int newline = JsonBytes.nextNewline(buffer, scan, limit);
      if (newline < limit) {
        return line(newline, newline + 1);
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

  /**
   * Checks the line as the JDK's strict decoder would, without decoding it: well-formed UTF-8 as
   * Unicode's table 3-7 defines it (no overlong forms, no surrogates, nothing above U+10FFFF).
   */
  private void checkUtf8() throws NotUtf8 {
    if (!wellFormed(buffer, lineStart, lineStart + lineLength)) {
      throw new NotUtf8();
    }
  }

  static boolean wellFormed(byte[] bytes, int start, int end) {
    int i = start;
    while (i < end) {
      if (i + Long.BYTES <= end) {
        long high = (long) LONGS.get(bytes, i) & 0x8080808080808080L;
        if (high == 0) {
          i += Long.BYTES;
          continue;
        }
        // Straight to the first byte that is not ASCII.
        i += Long.numberOfTrailingZeros(high) >>> 3;
      }
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      int lead = b & 0xFF;
      int need;
      int min = 0x80;
      int max = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        need = 1;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 2;
        min = lead == 0xE0 ? 0xA0 : 0x80;
        max = lead == 0xED ? 0x9F : 0xBF;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 3;
        min = lead == 0xF0 ? 0x90 : 0x80;
        max = lead == 0xF4 ? 0x8F : 0xBF;
      } else {
        return false;
      }
      if (i + need >= end) {
        return false;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < min || second > max) {
        return false;
      }
      for (int k = 2; k <= need; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += need + 1;
    }
    return true;
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
