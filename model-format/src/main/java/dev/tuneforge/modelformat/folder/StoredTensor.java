package dev.tuneforge.modelformat.folder;

import java.util.Arrays;

/** One tensor as a safetensors header declares it: where it lies, its dtype and its shape. */
record StoredTensor(String name, String file, String dtype, long[] shape) {

  long count() {
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  String shapeText() {
    return Arrays.toString(shape);
  }
}
