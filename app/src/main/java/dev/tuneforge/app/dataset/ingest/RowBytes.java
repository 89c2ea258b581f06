package dev.tuneforge.app.dataset.ingest;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A reusable buffer for one row written as JSON; past {@code max} bytes it stops storing and says
 * so, so that an oversized row costs no more memory than the limit.
 */
final class RowBytes extends OutputStream {
  private final int max;
  private byte[] bytes = new byte[1 << 14];
  private int length;
  private boolean overflow;

  RowBytes(int max) {
    this.max = max;
  }

  void reset() {
    length = 0;
    overflow = false;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  /** Whether more than {@code max} bytes were written since the last {@link #reset()}. */
  boolean overflow() {
    return overflow;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (overflow || length + len > max) {
      overflow = true;
      return;
    }
    if (length + len > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + len));
    }
    System.arraycopy(b, off, bytes, length, len);
    length += len;
  }
}
