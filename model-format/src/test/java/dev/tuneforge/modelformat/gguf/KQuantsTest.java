package dev.tuneforge.modelformat.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Q4_K and Q6_K as ggml lays out {@code block_q4_K} and {@code block_q6_K}: blocks built by hand
 * byte by byte read back as ggml's {@code dequantize_row_q4_K}/{@code _q6_K} compute them, and
 * quantised weights read back within half a step of their sub-block, whose step is no coarser than
 * the sub-block's range over the quants' count plus one unit of the super-block's scale.
 */
class KQuantsTest {

  private static final int BLOCKS = 300;

  @Test
  void aHandBuiltQ4KBlockReadsBackAsGgmlDequantisesIt() {
    ByteBuffer block = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
    block.putShort(Float.floatToFloat16(0.5f)).putShort(Float.floatToFloat16(0.25f));
    // Sub-block j has scale 10 + j and min 40 + j (6 bits each): the first four in the low six
    // bits of bytes 0-3 and 4-7, the last four split into nibbles in bytes 8-11 and the top two
    // bits of bytes 0-7.
    int[] sc = {10, 11, 12, 13, 54, 55, 56, 57};
    int[] m = {40, 41, 42, 43, 44, 45, 46, 47};
    byte[] packed = new byte[12];
    for (int j = 0; j < 4; j++) {
      packed[j] = (byte) (sc[j] | (sc[j + 4] >> 4) << 6);
      packed[j + 4] = (byte) (m[j] | (m[j + 4] >> 4) << 6);
      packed[j + 8] = (byte) ((sc[j + 4] & 0xF) | (m[j + 4] & 0xF) << 4);
    }
    block.put(packed);
    for (int i = 0; i < 128; i++) {
      block.put((byte) ((i % 16) | (15 - i % 16) << 4));
    }
    float[] values = GgufType.Q4_K.decode(block.flip(), 256);
    for (int j = 0; j < 8; j++) {
      for (int l = 0; l < 32; l++) {
        int q = j % 2 == 0 ? l % 16 : 15 - l % 16;
        assertThat(values[32 * j + l])
            .as("sub-block %d, value %d", j, l)
            .isEqualTo(0.5f * sc[j] * q - 0.25f * m[j]);
      }
    }
  }

  @Test
  void aHandBuiltQ6KBlockReadsBackAsGgmlDequantisesIt() {
    ByteBuffer block = ByteBuffer.allocate(210).order(ByteOrder.LITTLE_ENDIAN);
    // Value v of each half of 128 has quant (v * 5 + half) % 64: its low four bits in ql, its top
    // two in qh, as dequantize_row_q6_K reads them.
    byte[] ql = new byte[128];
    byte[] qh = new byte[64];
    for (int half = 0; half < 2; half++) {
      for (int l = 0; l < 32; l++) {
        int[] q = new int[4];
        for (int k = 0; k < 4; k++) {
          q[k] = ((l + 32 * k) * 5 + half) % 64;
        }
        ql[64 * half + l] = (byte) ((q[0] & 0xF) | (q[2] & 0xF) << 4);
        ql[64 * half + l + 32] = (byte) ((q[1] & 0xF) | (q[3] & 0xF) << 4);
        qh[32 * half + l] =
            (byte) (q[0] >> 4 | (q[1] >> 4) << 2 | (q[2] >> 4) << 4 | q[3] >> 4 << 6);
      }
    }
    block.put(ql).put(qh);
    for (int j = 0; j < 16; j++) {
      block.put((byte) (j % 2 == 0 ? j + 1 : -j));
    }
    block.putShort(Float.floatToFloat16(0.125f));
    float[] values = GgufType.Q6_K.decode(block.flip(), 256);
    for (int i = 0; i < 256; i++) {
      int j = i / 16;
      int q = ((i % 128) * 5 + i / 128) % 64;
      assertThat(values[i])
          .as("value %d", i)
          .isEqualTo(0.125f * (j % 2 == 0 ? j + 1 : -j) * (q - 32));
    }
  }

  @Test
  void q4KKeepsEveryValueWithinHalfAStepOfItsSubBlock() {
    assertWithinHalfAStep(
        GgufType.Q4_K,
        32,
        (block, j, values) -> {
          float d = Float.float16ToFloat(block.getShort(0));
          float dmin = Float.float16ToFloat(block.getShort(2));
          byte[] packed = new byte[12];
          block.get(4, packed);
          float min = 0;
          float max = 0;
          for (float value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
          }
          return new double[] {d * KQuants.scale(packed, j), (max - min + dmin) / 15 + d};
        });
  }

  @Test
  void q6KKeepsEveryValueWithinHalfAStepOfItsSubBlock() {
    assertWithinHalfAStep(
        GgufType.Q6_K,
        16,
        (block, j, values) -> {
          float d = Float.float16ToFloat(block.getShort(208));
          float max = 0;
          for (float value : values) {
            max = Math.max(max, Math.abs(value));
          }
          return new double[] {d * block.get(192 + j), max / 31 + d};
        });
  }

  /** A sub-block's step as its block stores it, and the coarsest step the bound allows. */
  private interface SubBlockStep {
    double[] stepAndBound(ByteBuffer block, int subBlock, float[] values);
  }

  private static void assertWithinHalfAStep(GgufType type, int subBlock, SubBlockStep steps) {
    float[] values = weights(type.id());
    ByteBuffer bytes = encode(type, values);
    int blockBytes = (int) type.bytes(256);
    assertThat(bytes.limit()).isEqualTo(BLOCKS * blockBytes);
    float[] restored = type.decode(bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN), values.length);
    double worst = 0;
    for (int block = 0; block < BLOCKS; block++) {
      ByteBuffer stored =
          bytes.slice(block * blockBytes, blockBytes).order(ByteOrder.LITTLE_ENDIAN);
      for (int j = 0; j < 256 / subBlock; j++) {
        int from = block * 256 + subBlock * j;
        double[] step =
            steps.stepAndBound(stored, j, Arrays.copyOfRange(values, from, from + subBlock));
        for (int i = from; i < from + subBlock; i++) {
          double error = Math.abs(values[i] - restored[i]);
          assertThat(error).as("value %d", i).isLessThanOrEqualTo(step[0] * (0.5 + 1e-5));
          worst = Math.max(worst, step[0] == 0 ? 0 : error / step[0]);
        }
        assertThat(step[0]).as("block %d, sub-block %d", block, j).isLessThanOrEqualTo(step[1]);
      }
    }
    assertThat(worst).isGreaterThan(0.4);
  }

  @Test
  void zerosStayZero() {
    float[] zeros = new float[512];
    for (GgufType type : new GgufType[] {GgufType.Q4_K, GgufType.Q6_K}) {
      ByteBuffer bytes = encode(type, zeros);
      assertThat(type.decode(bytes, zeros.length)).as("%s", type).containsOnly(0f);
    }
  }

  /**
   * Super-blocks of very different magnitudes, sub-blocks within them too, some all positive or all
   * negative, one of zeros: what real weight rows hold.
   */
  private static float[] weights(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[256 * BLOCKS];
    for (int block = 0; block < BLOCKS; block++) {
      double blockScale = Math.pow(10, random.nextDouble(-4, 1));
      for (int sub = 0; sub < 16; sub++) {
        double scale = block == 17 ? 0 : blockScale * Math.pow(10, random.nextDouble(-1.5, 0));
        double offset = sub % 5 == 1 ? scale : sub % 5 == 3 ? -scale : 0;
        for (int i = 0; i < 16; i++) {
          values[block * 256 + sub * 16 + i] = (float) (offset + random.nextDouble(-1, 1) * scale);
        }
      }
    }
    return values;
  }

  private static ByteBuffer encode(GgufType type, float[] values) {
    ByteBuffer bytes =
        ByteBuffer.allocate((int) type.bytes(values.length)).order(ByteOrder.LITTLE_ENDIAN);
    type.encode(values, 0, values.length, bytes);
    assertThat(bytes.hasRemaining()).isFalse();
    return bytes.flip().order(ByteOrder.LITTLE_ENDIAN);
  }
}
