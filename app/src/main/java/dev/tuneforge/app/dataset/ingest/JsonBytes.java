package dev.tuneforge.app.dataset.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds bytes in UTF-8 JSON eight at a time: each word is tested for the bytes sought with a few
 * shifts, masks and adds instead of a compare and branch per byte, and the first hit is found from
 * the lowest flagged byte (the words are read little-endian, so the lowest byte comes first).
 */
final class JsonBytes {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101_0101_0101_0101L;
  private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
  private static final long BACKSLASHES = '\\' * ONES;
  private static final long HIGH_NIBBLES = 0xF0 * ONES;
  private static final long NEWLINES = '\n' * ONES;
  private static final long QUOTES = '"' * ONES;

  /** The bits of a byte that are all clear below 0x20. */
  private static final long CONTROL_BITS = 0xE0 * ONES;

  private JsonBytes() {}

  /** The index of the first {@code '\\'} from {@code from}, or {@code end}. */
  static int nextBackslash(byte[] bytes, int from, int end) {
    return next(bytes, from, end, BACKSLASHES);
  }

  /**
   * The index of the first {@code '\\'} or lead byte of a 4-byte UTF-8 sequence (0xF0 and above)
   * from {@code from}, or {@code end}.
   */
  static int nextBackslashOrFourByteLead(byte[] bytes, int from, int end) {
    int i = from;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i);
      long hits = zeroBytes(word ^ BACKSLASHES) | zeroBytes((word & HIGH_NIBBLES) ^ HIGH_NIBBLES);
      if (hits != 0) {
        return i + (Long.numberOfTrailingZeros(hits) >>> 3);
      }
    }
    while (i < end && bytes[i] != '\\' && (bytes[i] & 0xF0) != 0xF0) {
      i++;
    }
    return i;
  }

  /**
   * The index of the first byte from {@code from} that ends a run of plain ASCII in a JSON string:
   * a quote, a backslash, a control character (below 0x20) or a byte of a multi-byte UTF-8 sequence
   * (0x80 and above); or {@code end}.
   */
  static int nextNonPlainInString(byte[] bytes, int from, int end) {
    int i = from;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i);
      long hits =
          zeroBytes(word ^ QUOTES)
              | zeroBytes(word ^ BACKSLASHES)
              | zeroBytes(word & CONTROL_BITS)
              | (word & HIGH_BITS);
      if (hits != 0) {
        return i + (Long.numberOfTrailingZeros(hits) >>> 3);
      }
    }
    while (i < end && bytes[i] >= 0x20 && bytes[i] != '"' && bytes[i] != '\\') {
      i++;
    }
    return i;
  }

  /** The index of the first {@code '\n'} from {@code from}, or {@code end}. */
  static int nextNewline(byte[] bytes, int from, int end) {
    return next(bytes, from, end, NEWLINES);
  }

  /**
   * The index of the first byte from {@code from} equal to those {@code pattern} repeats, or {@code
   * end}.
   */
  private static int next(byte[] bytes, int from, int end, long pattern) {
    int i = from;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long hits = zeroBytes((long) LONGS.get(bytes, i) ^ pattern);
      if (hits != 0) {
        return i + (Long.numberOfTrailingZeros(hits) >>> 3);
      }
    }
    while (i < end && bytes[i] != (byte) pattern) {
      i++;
    }
    return i;
  }

  /**
   * The high bit of each zero byte of {@code word} set (and maybe of bytes above the lowest zero
   * byte, which a borrow can reach: only the lowest flag is exact).
   */
  private static long zeroBytes(long word) {
    return (word - ONES) & ~word & HIGH_BITS;
  }
}
