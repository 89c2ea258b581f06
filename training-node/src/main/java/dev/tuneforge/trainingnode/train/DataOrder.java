package dev.tuneforge.trainingnode.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The run's randomness, derived from the seed alone: each epoch's shuffle from (seed, epoch) and
 * each step's dropout seed from (seed, step). A resumed run therefore needs only the epoch, the
 * position in it and the step, not the state of a generator.
 */
final class DataOrder {

  /** Named in trainer_state.json so that a later change of derivation refuses old checkpoints. */
  static final String SCHEME = "splitmix64(seed, epoch) shuffle; splitmix64(seed, step) dropout";

  private final int size;
  private final long seed;
  private int cachedEpoch = -1;
  private List<Integer> cached = List.of();

  DataOrder(int size, long seed) {
    this.size = size;
    this.seed = seed;
  }

  /** Indices of the examples in the order {@code epoch} (0-based) visits them. */
  List<Integer> epoch(int epoch) {
    if (epoch != cachedEpoch) {
      List<Integer> order = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(mix(mix(seed) + epoch)));
      cached = List.copyOf(order);
      cachedEpoch = epoch;
    }
    return cached;
  }

  /** The seed PyTorch's generator gets before 1-based {@code step}, for its dropout masks. */
  int dropoutSeed(int step) {
    return (int) mix(mix(seed ^ 0x5DEECE66DL) + step);
  }

  /** SplitMix64's finaliser: neighbouring inputs give unrelated outputs. */
  private static long mix(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
