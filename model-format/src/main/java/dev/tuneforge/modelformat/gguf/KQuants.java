package dev.tuneforge.modelformat.gguf;

import java.nio.ByteBuffer;

/**
 * ggml's k-quants Q4_K and Q6_K, byte for byte as {@code block_q4_K} and {@code block_q6_K} lay
 * them out: super-blocks of 256 values under one f16 scale (Q4_K also an f16 scale of the mins).
 *
 * <p>Q4_K (144 bytes): {@code d}, {@code dmin}, 12 bytes of eight 6-bit sub-block scales and mins
 * packed as {@code get_scale_min_k4} unpacks them, then 128 bytes of 4-bit quants; value {@code i}
 * of sub-block {@code j} (32 values) reads back as {@code d·sc[j]·q - dmin·m[j]}, and the byte
 * {@code 32·(j/2) + i} holds sub-block {@code j}'s quant in its low nibble when j is even, high
 * when odd.
 *
 * <p>Q6_K (210 bytes): 128 bytes of low 4 bits ({@code ql}), 64 bytes of high 2 bits ({@code qh}),
 * sixteen int8 sub-block scales (16 values each), then {@code d}; a value reads back as {@code
 * d·scale·(q - 32)}.
 *
 * <p>Every scale is rounded up, never to nearest, so that no value is clipped: each reads back
 * within half its sub-block's step {@code d·sc} of the original.
 */
final class KQuants {

  static final int SUPER_BLOCK = 256;
  static final int Q4_K_BYTES = 144;
  static final int Q6_K_BYTES = 210;

  private KQuants() {}

  static void encodeQ4K(float[] values, int from, ByteBuffer out) {
    float[] scales = new float[8];
    float[] mins = new float[8];
    for (int j = 0; j < 8; j++) {
      float min = 0;
      float max = 0;
      for (int i = from + 32 * j; i < from + 32 * j + 32; i++) {
        min = Math.min(min, values[i]);
        max = Math.max(max, values[i]);
      }
      mins[j] = -min;
      scales[j] = max + mins[j];
    }
    short dminBits = roundedUpHalf(max(mins) / 63);
    float dmin = Float.float16ToFloat(dminBits);
    int[] m = new int[8];
    for (int j = 0; j < 8; j++) {
      m[j] = step(mins[j], dmin, 63);
      // The range above the stored min, in 15 steps.
      scales[j] = (scales[j] - mins[j] + dmin * m[j]) / 15;
    }
    short dBits = roundedUpHalf(max(scales) / 63);
    float d = Float.float16ToFloat(dBits);
    int[] sc = new int[8];
    for (int j = 0; j < 8; j++) {
      sc[j] = step(scales[j], d, 63);
    }
    out.putShort(dBits);
    out.putShort(dminBits);
    byte[] packed = new byte[12];
    for (int j = 0; j < 8; j++) {
      if (j < 4) {
        packed[j] = (byte) sc[j];
        packed[j + 4] = (byte) m[j];
      } else {
        packed[j + 4] = (byte) ((sc[j] & 0xF) | ((m[j] & 0xF) << 4));
        packed[j - 4] |= (byte) ((sc[j] >> 4) << 6);
        packed[j] |= (byte) ((m[j] >> 4) << 6);
      }
    }
    out.put(packed);
    for (int pair = 0; pair < 4; pair++) {
      for (int l = 0; l < 32; l++) {
        int low = quantise(values[from + 64 * pair + l], d * sc[2 * pair], dmin * m[2 * pair]);
        int high =
            quantise(
                values[from + 64 * pair + 32 + l], d * sc[2 * pair + 1], dmin * m[2 * pair + 1]);
        out.put((byte) (low | high << 4));
      }
    }
  }

  private static int quantise(float value, float step, float min) {
    return step == 0 ? 0 : Math.clamp(Math.round((value + min) / step), 0, 15);
  }

  static void decodeQ4K(ByteBuffer in, float[] values, int from) {
    float d = Float.float16ToFloat(in.getShort());
    float dmin = Float.float16ToFloat(in.getShort());
    byte[] packed = new byte[12];
    in.get(packed);
    for (int pair = 0; pair < 4; pair++) {
      float d1 = d * scale(packed, 2 * pair);
      float m1 = dmin * min(packed, 2 * pair);
      float d2 = d * scale(packed, 2 * pair + 1);
      float m2 = dmin * min(packed, 2 * pair + 1);
      for (int l = 0; l < 32; l++) {
        int q = in.get() & 0xFF;
        values[from + 64 * pair + l] = d1 * (q & 0xF) - m1;
        values[from + 64 * pair + 32 + l] = d2 * (q >> 4) - m2;
      }
    }
  }

  /** Sub-block {@code j}'s 6-bit scale, as ggml's {@code get_scale_min_k4} reads it. */
  static int scale(byte[] packed, int j) {
    return j < 4 ? packed[j] & 63 : (packed[j + 4] & 0xF) | (((packed[j - 4] & 0xFF) >> 6) << 4);
  }

  /** Sub-block {@code j}'s 6-bit min, as ggml's {@code get_scale_min_k4} reads it. */
  static int min(byte[] packed, int j) {
    return j < 4
        ? packed[j + 4] & 63
        : ((packed[j + 4] & 0xFF) >> 4) | (((packed[j] & 0xFF) >> 6) << 4);
  }

  static void encodeQ6K(float[] values, int from, ByteBuffer out) {
    float[] scales = new float[16];
    for (int j = 0; j < 16; j++) {
      float max = 0;
      for (int i = from + 16 * j; i < from + 16 * j + 16; i++) {
        max = Math.max(max, Math.abs(values[i]));
      }
      // Quants run from -32 to 31: the largest magnitude takes 31 steps on either side.
      scales[j] = max / 31;
    }
    short dBits = roundedUpHalf(max(scales) / 127);
    float d = Float.float16ToFloat(dBits);
    int[] sc = new int[16];
    int[] q = new int[SUPER_BLOCK];
    for (int j = 0; j < 16; j++) {
      sc[j] = step(scales[j], d, 127);
      float step = d * sc[j];
      for (int i = 0; i < 16; i++) {
        float value = values[from + 16 * j + i];
        q[16 * j + i] = step == 0 ? 32 : Math.clamp(Math.round(value / step), -32, 31) + 32;
      }
    }
    byte[] ql = new byte[128];
    byte[] qh = new byte[64];
    for (int half = 0; half < 2; half++) {
      for (int l = 0; l < 32; l++) {
        int base = 128 * half + l;
        int q1 = q[base];
        int q2 = q[base + 32];
        int q3 = q[base + 64];
        int q4 = q[base + 96];
        ql[64 * half + l] = (byte) ((q1 & 0xF) | (q3 & 0xF) << 4);
        ql[64 * half + l + 32] = (byte) ((q2 & 0xF) | (q4 & 0xF) << 4);
        qh[32 * half + l] = (byte) (q1 >> 4 | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6);
      }
    }
    out.put(ql);
    out.put(qh);
    for (int s : sc) {
      out.put((byte) s);
    }
    out.putShort(dBits);
  }

  static void decodeQ6K(ByteBuffer in, float[] values, int from) {
    byte[] ql = new byte[128];
    byte[] qh = new byte[64];
    byte[] sc = new byte[16];
    in.get(ql).get(qh).get(sc);
    float d = Float.float16ToFloat(in.getShort());
    for (int half = 0; half < 2; half++) {
      for (int l = 0; l < 32; l++) {
        int is = 8 * half + l / 16;
        int low1 = ql[64 * half + l] & 0xFF;
        int low2 = ql[64 * half + l + 32] & 0xFF;
        int high = qh[32 * half + l] & 0xFF;
        int base = from + 128 * half + l;
        values[base] = d * sc[is] * (((low1 & 0xF) | (high & 3) << 4) - 32);
        values[base + 32] = d * sc[is + 2] * (((low2 & 0xF) | (high >> 2 & 3) << 4) - 32);
        values[base + 64] = d * sc[is + 4] * ((low1 >> 4 | (high >> 4 & 3) << 4) - 32);
        values[base + 96] = d * sc[is + 6] * ((low2 >> 4 | (high >> 6 & 3) << 4) - 32);
      }
    }
  }

  /** The fewest whole steps of {@code unit} that reach {@code value}, at most {@code limit}. */
  private static int step(float value, float unit, int limit) {
    if (unit == 0) {
      return 0;
    }
    int steps = (int) Math.ceil(value / unit);
    while (steps < limit && unit * steps < value) {
      steps++;
    }
    return Math.min(steps, limit);
  }

  /** The nearest f16 at or above {@code value}. */
  static short roundedUpHalf(float value) {
    short half = Float.floatToFloat16(value);
    return Float.float16ToFloat(half) < value ? (short) (half + 1) : half;
  }

  private static float max(float[] values) {
    float max = 0;
    for (float value : values) {
      max = Math.max(max, value);
    }
    return max;
  }
}
