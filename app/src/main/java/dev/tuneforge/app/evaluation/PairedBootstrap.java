package dev.tuneforge.app.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Paired percentile bootstrap over the examples: each resample draws n example indices with
 * replacement from a seeded generator, and the base and the tuned model are scored on the same
 * indices, so the interval of the difference keeps the pairing. Seeded, so the same generations
 * always give the same intervals.
 */
public final class PairedBootstrap {
  public static final long SEED = 15;
  public static final int RESAMPLES = 2000;
  public static final double LEVEL = 0.95;

  private PairedBootstrap() {}

  /**
   * {@code count} resamples of {@code n} indices in [0, n): {@link SplittableRandom} seeded with
   * {@code seed}, drawing {@code nextInt(n)} n times per resample, resample after resample.
   */
  public static int[][] resamples(int n, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[][] resamples = new int[count][n];
    for (int[] resample : resamples) {
      for (int i = 0; i < n; i++) {
        resample[i] = random.nextInt(n);
      }
    }
    return resamples;
  }

  /**
   * The central {@link #LEVEL} interval of the values: with the m values sorted, the ones at
   * positions ⌊0.025·m⌋ and ⌈0.975·m⌉ − 1 (0-based). Null when there are none.
   */
  public static @Nullable Interval percentile(double[] values) {
    if (values.length == 0) {
      return null;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double tail = (1 - LEVEL) / 2;
    int low = (int) Math.floor(tail * sorted.length + 1e-9);
    int high = (int) Math.ceil((1 - tail) * sorted.length - 1e-9) - 1;
    return new Interval(sorted[low], sorted[high]);
  }

  static Confidence confidence(
      List<ExampleFigures> base, List<ExampleFigures> tuned, List<Headline> metrics) {
    if (base.size() != tuned.size() || base.isEmpty()) {
      throw new IllegalArgumentException(
          "a paired bootstrap needs the same examples for both models");
    }
    int[][] resamples = resamples(base.size(), RESAMPLES, SEED);
    int[] all = new int[base.size()];
    Arrays.setAll(all, i -> i);
    List<MetricConfidence> results = new ArrayList<>();
    for (Headline metric : metrics) {
      List<Double> b = new ArrayList<>();
      List<Double> t = new ArrayList<>();
      List<Double> d = new ArrayList<>();
      for (int[] resample : resamples) {
        Double bv = metric.of(base, resample);
        Double tv = metric.of(tuned, resample);
        if (bv != null) {
          b.add(bv);
        }
        if (tv != null) {
          t.add(tv);
        }
        if (bv != null && tv != null) {
          d.add(tv - bv);
        }
      }
      results.add(
          new MetricConfidence(
              metric,
              metric.of(base, all),
              metric.of(tuned, all),
              percentile(unbox(b)),
              percentile(unbox(t)),
              percentile(unbox(d))));
    }
    return new Confidence(SEED, RESAMPLES, results);
  }

  static double[] unbox(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
