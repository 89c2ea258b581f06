package dev.tuneforge.trainingnode.export;

import dev.tuneforge.modelformat.safetensors.Tensor;
import java.util.Arrays;
import java.util.stream.IntStream;

/** PEFT's {@code merge_and_unload} for one projection: {@code W' = W + scale * B A}, in fp32. */
final class LoraMerge {

  private LoraMerge() {}

  /**
   * @param weight {@code [out, in]}
   * @param a {@code [r, in]}
   * @param b {@code [out, r]}
   */
  static Tensor merge(String name, Tensor weight, Tensor a, Tensor b, double scale) {
    long[] shape = weight.shape();
    if (shape.length != 2
        || a.shape().length != 2
        || b.shape().length != 2
        || a.shape()[1] != shape[1]
        || b.shape()[0] != shape[0]
        || a.shape()[0] != b.shape()[1]) {
      throw new IllegalArgumentException(
          "cannot merge into "
              + name
              + " "
              + Arrays.toString(shape)
              + " a LoRA with A "
              + Arrays.toString(a.shape())
              + " and B "
              + Arrays.toString(b.shape()));
    }
    int out = (int) shape[0];
    int in = (int) shape[1];
    int rank = (int) a.shape()[0];
    float[] merged = weight.values().clone();
    float[] av = a.values();
    float[] bv = b.values();
    float factor = (float) scale;
    IntStream.range(0, out)
        .parallel()
        .forEach(
            o -> {
              // As PEFT does: (B A) first, then scaled, then added.
              float[] delta = new float[in];
              for (int k = 0; k < rank; k++) {
                float coefficient = bv[o * rank + k];
                int row = k * in;
                for (int i = 0; i < in; i++) {
                  delta[i] += coefficient * av[row + i];
                }
              }
              int row = o * in;
              for (int i = 0; i < in; i++) {
                merged[row + i] += delta[i] * factor;
              }
            });
    return new Tensor(shape, merged);
  }
}
