package dev.tuneforge.trainingnode.quant;

/**
 * A tensor in NF4 with double-quantised scales (see {@link Nf4}).
 *
 * @param shape the tensor's shape
 * @param count how many values it holds
 * @param codes two 4-bit codes per byte, the first value in the high nibble
 * @param scaleCodes one 8-bit code per block of {@value Nf4#BLOCK} values: its absmax, less {@code
 *     scaleOffset}, on the dynamic map
 * @param scaleAbsmax one fp32 absmax per {@value Nf4#SCALE_BLOCK} scale codes
 * @param scaleOffset the mean of the absmax scales, subtracted before their quantisation
 */
public record Nf4Tensor(
    long[] shape,
    int count,
    byte[] codes,
    byte[] scaleCodes,
    float[] scaleAbsmax,
    float scaleOffset) {

  /** The fp32 values it stands for, row-major. */
  public float[] dequantize() {
    return Nf4.dequantize(this);
  }

  /** The scale of each block of {@value Nf4#BLOCK} values, as the double quantisation restores. */
  public float[] blockScales() {
    return Nf4.scales(this);
  }

  /** The bytes it occupies: codes, scale codes, scale absmax and offset. */
  public long bytes() {
    return codes.length + (long) scaleCodes.length + 4L * scaleAbsmax.length + 4;
  }
}
