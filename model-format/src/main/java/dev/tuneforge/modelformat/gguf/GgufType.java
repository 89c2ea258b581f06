package dev.tuneforge.modelformat.gguf;

import java.nio.ByteBuffer;

/**
 * The tensor types this platform writes, with ggml's type ids: F32, F16, Q8_0 (blocks of 32 values:
 * an f16 scale {@code d >= max|x| / 127} and 32 int8 {@code q = round(x / d)}, read back as {@code
 * q * d}), and the k-quants Q4_K and Q6_K of llama.cpp's Q4_K_M ({@link KQuants}).
 */
public enum GgufType {
  F32(0, 1, 4),
  F16(1, 1, 2),
  Q8_0(8, 32, 34),
  Q4_K(12, KQuants.SUPER_BLOCK, KQuants.Q4_K_BYTES),
  Q6_K(14, KQuants.SUPER_BLOCK, KQuants.Q6_K_BYTES);

  private final int id;
  private final int blockSize;
  private final int blockBytes;

  GgufType(int id, int blockSize, int blockBytes) {
    this.id = id;
    this.blockSize = blockSize;
    this.blockBytes = blockBytes;
  }

  /** ggml's id of the type, as a tensor info stores it. */
  public int id() {
    return id;
  }

  /** How many values one block holds; a row's length must be a multiple of it. */
  public int blockSize() {
    return blockSize;
  }

  public static GgufType of(int id) {
    for (GgufType type : values()) {
      if (type.id == id) {
        return type;
      }
    }
    throw new IllegalArgumentException("ggml type " + id + " is not one this reader knows");
  }

  /** The bytes {@code count} values take; {@code count} is a multiple of {@link #blockSize()}. */
  public long bytes(long count) {
    return count / blockSize * blockBytes;
  }

  /** Writes {@code values} in this type, little-endian, into {@code out}. */
  public void encode(float[] values, int from, int count, ByteBuffer out) {
    switch (this) {
      case F32 -> {
        for (int i = from; i < from + count; i++) {
          out.putFloat(values[i]);
        }
      }
      case F16 -> {
        for (int i = from; i < from + count; i++) {
          out.putShort(Float.floatToFloat16(values[i]));
        }
      }
      case Q8_0 -> {
        for (int block = from; block < from + count; block += blockSize) {
          float max = 0;
          for (int i = block; i < block + blockSize; i++) {
            max = Math.max(max, Math.abs(values[i]));
          }
          // The scale is rounded up to the next f16, and values are quantised against it as
          // stored: none is clipped, so each is within half a step (d / 2) of its original.
          short scale = KQuants.roundedUpHalf(max / 127);
          float d = Float.float16ToFloat(scale);
          float inverse = d == 0 ? 0 : 1 / d;
          out.putShort(scale);
          for (int i = block; i < block + blockSize; i++) {
            out.put((byte) Math.clamp(Math.round(values[i] * inverse), -127, 127));
          }
        }
      }
      case Q4_K -> {
        for (int block = from; block < from + count; block += blockSize) {
          KQuants.encodeQ4K(values, block, out);
        }
      }
      case Q6_K -> {
        for (int block = from; block < from + count; block += blockSize) {
          KQuants.encodeQ6K(values, block, out);
        }
      }
    }
  }

  /** Reads {@code count} values of this type from {@code in}, little-endian. */
  public float[] decode(ByteBuffer in, int count) {
    float[] values = new float[count];
    switch (this) {
      case F32 -> {
        for (int i = 0; i < count; i++) {
          values[i] = in.getFloat();
        }
      }
      case F16 -> {
        for (int i = 0; i < count; i++) {
          values[i] = Float.float16ToFloat(in.getShort());
        }
      }
      case Q8_0 -> {
        for (int block = 0; block < count; block += blockSize) {
          float d = Float.float16ToFloat(in.getShort());
          for (int i = block; i < block + blockSize; i++) {
            values[i] = in.get() * d;
          }
        }
      }
      case Q4_K -> {
        for (int block = 0; block < count; block += blockSize) {
          KQuants.decodeQ4K(in, values, block);
        }
      }
      case Q6_K -> {
        for (int block = 0; block < count; block += blockSize) {
          KQuants.decodeQ6K(in, values, block);
        }
      }
    }
    return values;
  }
}
