package dev.tuneforge.app.dataset;

import java.util.Arrays;

/**
 * A SimHash built from 64-bit feature hashes: bit {@code b} of the result is set when more than
 * half of the features have it set. Instead of 64 counters updated per feature, the counts are kept
 * bit-sliced (counter level {@code j} holds bit {@code j} of all 64 counts), so adding a feature
 * costs a few word operations on average.
 */
final class SimHash {
  private final long[] levels = new long[Integer.SIZE];
  private int used;
  private int features;

  void clear() {
    Arrays.fill(levels, 0, used, 0);
    used = 0;
    features = 0;
  }

  void add(long feature) {
    long carry = feature;
    int level = 0;
    while (carry != 0) {
      long sum = levels[level];
      levels[level] = sum ^ carry;
      carry &= sum;
      level++;
    }
    used = Math.max(used, level);
    features++;
  }

  int features() {
    return features;
  }

  /**
   * The fingerprint: each bit set in more than half of the features added since {@link #clear}.
   * All 64 counts are compared with half the features at once, from the highest counter level down.
   */
  long value() {
    int half = features >>> 1;
    long greater = 0;
    long equal = -1L;
    for (int level = Math.max(used, Integer.SIZE - Integer.numberOfLeadingZeros(half)) - 1; level >= 0; level--) {
      long ones = levels[level];
      if ((half >>> level & 1) == 0) {
        greater |= equal & ones;
        equal &= ~ones;
      } else {
        equal &= ones;
      }
    }
    return greater;
  }
}
