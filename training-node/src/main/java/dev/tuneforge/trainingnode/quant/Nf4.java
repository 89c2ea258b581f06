package dev.tuneforge.trainingnode.quant;

/**
 * 4-bit NormalFloat quantisation as the QLoRA paper (Dettmers et al. 2023) and bitsandbytes' {@code
 * quantize_4bit(quant_type="nf4", blocksize=64, compress_statistics=True)} define it. A tensor,
 * flattened row-major, is cut into blocks of {@value #BLOCK}; each block is divided by its absolute
 * maximum and every value takes the code of the nearest of the 16 NF4 values (ties to the lower, as
 * bitsandbytes' midpoint comparisons do); two codes share a byte, the first in the high nibble. The
 * absmax scales are quantised again ("double quantisation"): their mean is subtracted, and blocks
 * of {@value #SCALE_BLOCK} are quantised to 8 bits with the signed dynamic map, each block with its
 * own fp32 absmax.
 */
public final class Nf4 {

  /** Weights per absmax scale. */
  public static final int BLOCK = 64;

  /** Scales per fp32 absmax of the double quantisation. */
  public static final int SCALE_BLOCK = 256;

  /**
   * The 16 NF4 values: the paper's construction (8 quantiles of N(0,1) between 0.5 and 0.9677083
   * for the positive side, 7 for the negative, plus an exact zero, normalised to [-1, 1]), as
   * float32 values; they equal bitsandbytes' table bit for bit.
   */
  static final float[] VALUES = {
    -1.0f,
    -0.6961928009986877f,
    -0.5250730514526367f,
    -0.39491748809814453f,
    -0.28444138169288635f,
    -0.18477343022823334f,
    -0.09105003625154495f,
    0.0f,
    0.07958029955625534f,
    0.16093020141124725f,
    0.24611230194568634f,
    0.33791524171829224f,
    0.44070982933044434f,
    0.5626170039176941f,
    0.7229568362236023f,
    1.0f
  };

  private static final float[] MIDPOINTS = midpoints(VALUES);

  /** The signed 8-bit dynamic map (bitsandbytes' {@code create_dynamic_map}) for the scales. */
  static final float[] SCALE_MAP = dynamicMap();

  private static final float[] SCALE_MIDPOINTS = midpoints(SCALE_MAP);

  private Nf4() {}

  /** The 16 NF4 code values, in code order. */
  public static float[] values() {
    return VALUES.clone();
  }

  /** The 256 values of the 8-bit map the scales are quantised with, in code order. */
  public static float[] scaleMap() {
    return SCALE_MAP.clone();
  }

  /** Quantises {@code values} (a tensor of {@code shape}, row-major). */
  public static Nf4Tensor quantize(float[] values, long[] shape) {
    long count = 1;
    for (long dimension : shape) {
      count *= dimension;
    }
    if (count != values.length) {
      throw new IllegalArgumentException(
          "shape holds " + count + " values, the array " + values.length);
    }
    int blocks = blocks(values.length, BLOCK);
    float[] absmax = new float[blocks];
    byte[] packed = new byte[(values.length + 1) / 2];
    for (int block = 0; block < blocks; block++) {
      int start = block * BLOCK;
      int end = Math.min(values.length, start + BLOCK);
      float max = 0;
      for (int i = start; i < end; i++) {
        max = Math.max(max, Math.abs(values[i]));
      }
      absmax[block] = max;
      float inverse = max == 0 ? 0 : 1f / max;
      for (int i = start; i < end; i++) {
        int code = nearest(MIDPOINTS, values[i] * inverse);
        packed[i / 2] |= (byte) (i % 2 == 0 ? code << 4 : code);
      }
    }
    double sum = 0;
    for (float scale : absmax) {
      sum += scale;
    }
    float offset = (float) (sum / blocks);
    int scaleBlocks = blocks(blocks, SCALE_BLOCK);
    byte[] scaleCodes = new byte[blocks];
    float[] scaleAbsmax = new float[scaleBlocks];
    for (int block = 0; block < scaleBlocks; block++) {
      int start = block * SCALE_BLOCK;
      int end = Math.min(blocks, start + SCALE_BLOCK);
      float max = 0;
      for (int i = start; i < end; i++) {
        max = Math.max(max, Math.abs(absmax[i] - offset));
      }
      scaleAbsmax[block] = max;
      float inverse = max == 0 ? 0 : 1f / max;
      for (int i = start; i < end; i++) {
        scaleCodes[i] = (byte) nearest(SCALE_MIDPOINTS, (absmax[i] - offset) * inverse);
      }
    }
    return new Nf4Tensor(shape, values.length, packed, scaleCodes, scaleAbsmax, offset);
  }

  /** The scale of each block of {@value #BLOCK}, as the double quantisation gives it back. */
  static float[] scales(Nf4Tensor tensor) {
    float[] scales = new float[tensor.scaleCodes().length];
    for (int i = 0; i < scales.length; i++) {
      scales[i] =
          SCALE_MAP[tensor.scaleCodes()[i] & 0xFF] * tensor.scaleAbsmax()[i / SCALE_BLOCK]
              + tensor.scaleOffset();
    }
    return scales;
  }

  /** The fp32 values {@code tensor} stands for: code value times its block's scale. */
  static float[] dequantize(Nf4Tensor tensor) {
    float[] scales = scales(tensor);
    float[] values = new float[tensor.count()];
    byte[] packed = tensor.codes();
    for (int i = 0; i < values.length; i++) {
      int pair = packed[i / 2];
      int code = i % 2 == 0 ? (pair >> 4) & 0xF : pair & 0xF;
      values[i] = VALUES[code] * scales[i / BLOCK];
    }
    return values;
  }

  /** The index of the nearest value: how many midpoints {@code x} exceeds. */
  private static int nearest(float[] midpoints, float x) {
    int low = 0;
    int high = midpoints.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (x > midpoints[middle]) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  private static float[] midpoints(float[] sorted) {
    float[] midpoints = new float[sorted.length - 1];
    for (int i = 0; i < midpoints.length; i++) {
      midpoints[i] = (float) (((double) sorted[i] + sorted[i + 1]) / 2);
    }
    return midpoints;
  }

  /**
   * bitsandbytes' signed dynamic map with 7 exponent bits: for each decade 10^-6 … 10^0, the
   * midpoints of 2^i + 1 evenly spaced points between 0.1 and 1, with both signs, plus 0 and 1;
   * computed in double and rounded once.
   */
  private static float[] dynamicMap() {
    double[] values = new double[256];
    int n = 0;
    for (int i = 0; i < 7; i++) {
      int points = (1 << i) + 1;
      double decade = Math.pow(10, -6 + i);
      double previous = 0.1;
      for (int j = 1; j < points; j++) {
        double next = 0.1 + 0.9 * j / (points - 1);
        double mean = (previous + next) / 2;
        values[n++] = decade * mean;
        values[n++] = -decade * mean;
        previous = next;
      }
    }
    values[n++] = 0;
    values[n] = 1;
    java.util.Arrays.sort(values);
    float[] map = new float[values.length];
    for (int i = 0; i < map.length; i++) {
      map[i] = (float) values[i];
    }
    return map;
  }

  private static int blocks(int count, int size) {
    return Math.max(1, (count + size - 1) / size);
  }
}
