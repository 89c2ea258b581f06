package dev.tuneforge.modelformat.safetensors;

/** The safetensors dtypes this reader understands; all load as fp32. */
public enum DataType {
  F32(4),
  F16(2),
  BF16(2);

  private final int bytes;

  DataType(int bytes) {
    this.bytes = bytes;
  }

  public int bytes() {
    return bytes;
  }

  static DataType parse(String name, String tensor) {
    try {
      return valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new SafeTensorsException(
          "tensor " + tensor + " has dtype " + name + "; supported are F32, F16 and BF16");
    }
  }

  static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** Rounds to nearest even, as PyTorch does when it casts fp32 to bf16. */
  static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounding = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }
}
