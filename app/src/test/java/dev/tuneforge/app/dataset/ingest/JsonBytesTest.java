package dev.tuneforge.app.dataset.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The eight-bytes-at-a-time searches find what a byte-by-byte search finds, at every offset and
 * length, among neighbours that trip naive word tricks: a byte one above the sought one (a borrow),
 * 0xEF below 0xF0, and 0xFF.
 */
class JsonBytesTest {
  private static final byte[] ALPHABET = {
    'a',
    '\\',
    ']',
    '[',
    '\n',
    0x0B,
    0x09,
    (byte) 0xF0,
    (byte) 0xF4,
    (byte) 0xEF,
    (byte) 0xFF,
    (byte) 0x80,
    (byte) 0x7F,
    0,
    1,
    0x1F,
    0x20,
    '"',
    '#',
    '!'
  };

  @Test
  void findsTheFirstByteSoughtAsAPlainLoopDoes() {
    SplittableRandom random = new SplittableRandom(42);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[random.nextInt(40)];
      int rare = 1 + random.nextInt(12);
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] =
            random.nextInt(rare) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) 'x';
      }
      int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      int end = from + random.nextInt(bytes.length - from + 1);
      assertThat(JsonBytes.nextBackslash(bytes, from, end))
          .isEqualTo(first(bytes, from, end, false, (byte) '\\'));
      assertThat(JsonBytes.nextNewline(bytes, from, end))
          .isEqualTo(first(bytes, from, end, false, (byte) '\n'));
      assertThat(JsonBytes.nextBackslashOrFourByteLead(bytes, from, end))
          .isEqualTo(first(bytes, from, end, true, (byte) '\\'));
      assertThat(JsonBytes.nextNonPlainInString(bytes, from, end))
          .isEqualTo(firstNonPlain(bytes, from, end));
    }
  }

  private static int firstNonPlain(byte[] bytes, int from, int end) {
    for (int i = from; i < end; i++) {
      int b = bytes[i] & 0xFF;
      if (b == '"' || b == '\\' || b < 0x20 || b >= 0x80) {
        return i;
      }
    }
    return end;
  }

  private static int first(byte[] bytes, int from, int end, boolean orFourByteLead, byte sought) {
    for (int i = from; i < end; i++) {
      if (bytes[i] == sought || (orFourByteLead && (bytes[i] & 0xFF) >= 0xF0)) {
        return i;
      }
    }
    return end;
  }
}
