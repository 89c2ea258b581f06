package dev.tuneforge.app.dataset;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads lines of UTF-8, decoding each line on its own so that an encoding error is reported
 * on the line where it is, not where a read-ahead buffer happened to end.
 */
final class Utf8Lines implements AutoCloseable {
  /** A line that is not valid UTF-8. */
  static final class NotUtf8 extends IOException {
    NotUtf8() {
      super("not UTF-8");
    }
  }

  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private byte[] line = new byte[8192];

  Utf8Lines(InputStream in) {
    this.in = new BufferedInputStream(in, 1 << 16);
  }

  /** The next line without its terminator, or null at the end. */
  @Nullable String next() throws IOException {
    int length = 0;
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (length == line.length) {
        line = Arrays.copyOf(line, line.length * 2);
      }
      line[length++] = (byte) b;
    }
    if (b == -1 && length == 0) {
      return null;
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    try {
      return decoder.reset().decode(ByteBuffer.wrap(line, 0, length)).toString();
    } catch (CharacterCodingException e) {
      throw new NotUtf8();
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
