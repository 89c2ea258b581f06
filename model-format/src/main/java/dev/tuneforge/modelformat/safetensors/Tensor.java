package dev.tuneforge.modelformat.safetensors;

import java.util.Arrays;

/** A dense fp32 tensor in row-major order, as it is kept between files and DJL. */
public record Tensor(long[] shape, float[] values) {

  public Tensor {
    long count = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      count *= dim;
    }
    if (count != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + count + " values, got " + values.length);
    }
  }

  public long size() {
    return values.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Tensor t
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
