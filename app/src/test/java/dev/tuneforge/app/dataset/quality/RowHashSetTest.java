package dev.tuneforge.app.dataset.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The exact-duplicate set answers {@code add} as the {@code HashSet<Long>} it replaced. */
class RowHashSetTest {
  @Test
  void answersAsAHashSetOfLongs() {
    SplittableRandom random = new SplittableRandom(11);
    RowHashSet set = new RowHashSet();
    Set<Long> expected = new HashSet<>();
    // Few distinct low bits and a small pool make collisions in the table and repeats common.
    long[] pool = {0L, -1L, 1L, 1L << 40, 4096L, 8192L, Long.MIN_VALUE, 42L};
    for (int i = 0; i < 300_000; i++) {
      long hash =
          switch (i % 4) {
            case 0 -> random.nextLong();
            case 1 -> pool[random.nextInt(pool.length)];
            case 2 -> (long) random.nextInt(5000) << 12;
            default -> random.nextInt(200_000);
          };
      assertThat(set.add(hash)).as("add %d", hash).isEqualTo(expected.add(hash));
    }
    assertThat(set.size()).isEqualTo(expected.size());
  }
}
