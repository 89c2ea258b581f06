package dev.tuneforge.app.dataset.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bulk SimHash gives the fingerprint that 64 counters updated per feature give. */
class SimHashTest {
  private static long perFeature(long[] features, int count) {
    int[] weights = new int[64];
    for (int f = 0; f < count; f++) {
      for (int bit = 0; bit < 64; bit++) {
        weights[bit] += ((features[f] >>> bit) & 1) == 1 ? 1 : -1;
      }
    }
    long fingerprint = 0;
    for (int bit = 0; bit < 64; bit++) {
      fingerprint |= weights[bit] > 0 ? 1L << bit : 0;
    }
    return fingerprint;
  }

  @Test
  void equalsTheFingerprintOfOneCounterPerBit() {
    SplittableRandom random = new SplittableRandom(7);
    SimHash simHash = new SimHash();
    for (int t = 0; t < 500; t++) {
      int count = t < 20 ? t : random.nextInt(t % 3 == 0 ? 3000 : 300);
      long[] features = new long[count];
      // Few distinct features make ties (exactly half) common, which must not set the bit.
      long[] pool = {random.nextLong(), random.nextLong(), -1L, 0L, random.nextLong()};
      simHash.clear();
      for (int f = 0; f < count; f++) {
        features[f] = t % 2 == 0 ? random.nextLong() : pool[random.nextInt(pool.length)];
        simHash.add(features[f]);
      }
      assertThat(simHash.features()).isEqualTo(count);
      assertThat(simHash.value()).as("%d features", count).isEqualTo(perFeature(features, count));
    }
  }
}
