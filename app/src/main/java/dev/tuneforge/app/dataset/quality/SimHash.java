package dev.tuneforge.app.dataset.quality;

import java.util.Arrays;

/**
 * A SimHash built from 64-bit feature hashes: bit {@code b} of the result is set when more than
 * half of the features have it set. Features are gathered and counted in bulk: instead of 64
 * counters updated one by one per feature, eight words of eight byte-wide counters (word {@code k},
 * byte {@code j} counts bit {@code 8j + k}) are updated with eight shifts, masks and adds and no
 * branch, and moved to the 64 counters before a byte can overflow.
 */
final class SimHash {
  private static final long LOW_BITS = 0x0101010101010101L;
  private static final int BYTE_MAX = 255;

  private final int[] counts = new int[64];
  private long[] features = new long[1024];
  private int size;

  void clear() {
    size = 0;
  }

  /** Forgets the features added after the first {@code features}. */
  void truncate(int features) {
    size = Math.min(size, features);
  }

  void add(long feature) {
    if (size == features.length) {
      features = Arrays.copyOf(features, size * 2);
    }
    features[size++] = feature;
  }

  int features() {
    return size;
  }

  /** The features added since {@link #clear}, in order. */
  long[] toArray() {
    return Arrays.copyOf(features, size);
  }

  /** The fingerprint: each bit set in more than half of the features added since {@link #clear}. */
  long value() {
    Arrays.fill(counts, 0);
    for (int from = 0; from < size; from += BYTE_MAX) {
      count(Math.min(size, from + BYTE_MAX), from);
    }
    long fingerprint = 0;
    for (int bit = 0; bit < 64; bit++) {
      fingerprint |= 2L * counts[bit] > size ? 1L << bit : 0;
    }
    return fingerprint;
  }

  /** Adds the bits of at most {@link #BYTE_MAX} features to the counts. */
  private void count(int to, int from) {
    long l0 = 0;
    long l1 = 0;
    long l2 = 0;
    long l3 = 0;
    long l4 = 0;
    long l5 = 0;
    long l6 = 0;
    long l7 = 0;
    for (int i = from; i < to; i++) {
      long f = features[i];
      l0 += f & LOW_BITS;
      l1 += (f >>> 1) & LOW_BITS;
      l2 += (f >>> 2) & LOW_BITS;
      l3 += (f >>> 3) & LOW_BITS;
      l4 += (f >>> 4) & LOW_BITS;
      l5 += (f >>> 5) & LOW_BITS;
      l6 += (f >>> 6) & LOW_BITS;
      l7 += (f >>> 7) & LOW_BITS;
    }
    long[] lanes = {l0, l1, l2, l3, l4, l5, l6, l7};
    for (int k = 0; k < 8; k++) {
      for (int j = 0; j < 8; j++) {
        counts[8 * j + k] += (int) (lanes[k] >>> (8 * j)) & 0xFF;
      }
    }
  }
}
