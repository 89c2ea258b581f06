package dev.tuneforge.app.dataset.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Lines are checked as UTF-8 exactly as the JDK's strict decoder would refuse or accept them. */
class Utf8LinesTest {
  private static boolean decodes(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static void assertAgrees(byte[] bytes) {
    byte[] padded = new byte[bytes.length + 2];
    System.arraycopy(bytes, 0, padded, 1, bytes.length);
    padded[0] = 'x';
    padded[padded.length - 1] = (byte) 0xE6;
    assertThat(Utf8Lines.wellFormed(padded, 1, bytes.length + 1))
        .as(HexFormat.ofDelimiter(" ").formatHex(bytes))
        .isEqualTo(decodes(bytes));
  }

  @Test
  void refusesOverlongSurrogateAndTruncatedSequencesAsTheDecoderDoes() {
    String[] cases = {
      "c0 af", "c1 bf", "c2 a0", "e0 80 af", "e0 a0 80", "ed a0 80", "ed 9f bf", "f0 80 80 af",
          "f0 8f bf bf",
      "f0 90 80 80", "f4 8f bf bf", "f4 90 80 80", "f5 80 80 80", "ff", "80", "e6 9d", "f0 9f 98",
          "e6 9d 31",
      "41 42 43 44 45 46 47 48 e6 9d b1 49", "f0 9f 98 80"
    };
    for (String hex : cases) {
      assertAgrees(HexFormat.ofDelimiter(" ").parseHex(hex));
    }
  }

  @Test
  void agreesWithTheDecoderOnRandomBytes() {
    SplittableRandom random = new SplittableRandom(11);
    byte[] valid = "receipt café 東京 😀 total".getBytes(StandardCharsets.UTF_8);
    for (int t = 0; t < 50_000; t++) {
      byte[] bytes = new byte[random.nextInt(40)];
      for (int i = 0; i < bytes.length; i++) {
        int kind = random.nextInt(4);
        bytes[i] =
            kind == 0
                ? (byte) random.nextInt(256)
                : kind == 1
                    ? (byte) (0x80 + random.nextInt(64))
                    : kind == 2
                        ? valid[random.nextInt(valid.length)]
                        : (byte) ('a' + random.nextInt(26));
      }
      assertAgrees(bytes);
    }
  }
}
