package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.protocol.EvaluationExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The paired bootstrap on a seeded case whose intervals this test computes itself, from the same
 * resample indices and per-example counts written down by hand.
 */
class PairedBootstrapTest {
  private static final int N = 40;

  /**
   * Example i expects a = i and b = x. The base gets a right on even i and wrong on odd i, and
   * never gives b; the tuned model answers both right except every fifth example, where it answers
   * prose.
   */
  private static List<EvaluationExample> generations() {
    List<EvaluationExample> rows = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      String expected = "{\"a\":\"" + i + "\",\"b\":\"x\"}";
      String base = i % 2 == 0 ? "{\"a\":\"" + i + "\"}" : "{\"a\":\"wrong\"}";
      String tuned = i % 5 == 0 ? "Here is the receipt." : expected;
      rows.add(EvaluationScoresTest.example(i, expected, base, tuned));
    }
    return rows;
  }

  /** TP, FP, FN of example i, by hand from the answers above. */
  private static int[] baseCounts(int i) {
    return i % 2 == 0 ? new int[] {1, 0, 1} : new int[] {0, 1, 2};
  }

  private static int[] tunedCounts(int i) {
    return i % 5 == 0 ? new int[] {0, 0, 2} : new int[] {2, 0, 0};
  }

  private static double microF1(int[] resample, boolean tuned) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (int i : resample) {
      int[] c = tuned ? tunedCounts(i) : baseCounts(i);
      tp += c[0];
      fp += c[1];
      fn += c[2];
    }
    return 2.0 * tp / (2.0 * tp + fp + fn);
  }

  private static double validity(int[] resample, boolean tuned) {
    return Arrays.stream(resample).filter(i -> !tuned || i % 5 != 0).count()
        / (double) resample.length;
  }

  private static Interval central(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    // 2000 values: the 51st and the 1950th.
    return new Interval(sorted[50], sorted[1949]);
  }

  @Test
  void theIntervalsAreThePercentilesOfTheSameResamplesScoredForBothModels() {
    EvaluationScores scores = EvaluationScores.compute(generations(), EvaluationScoresTest.SUMMARY);
    int[][] resamples =
        PairedBootstrap.resamples(N, PairedBootstrap.RESAMPLES, PairedBootstrap.SEED);
    assertThat(resamples).hasNumberOfRows(2000);

    double[] base = new double[resamples.length];
    double[] tuned = new double[resamples.length];
    double[] delta = new double[resamples.length];
    double[] validityDelta = new double[resamples.length];
    for (int r = 0; r < resamples.length; r++) {
      base[r] = microF1(resamples[r], false);
      tuned[r] = microF1(resamples[r], true);
      delta[r] = tuned[r] - base[r];
      validityDelta[r] = validity(resamples[r], true) - validity(resamples[r], false);
    }
    MetricConfidence f1 = scores.confidence().of(Headline.MICRO_F1).orElseThrow();
    // Base: TP 20, FP 20, FN 60 -> 40/120; tuned: TP 64, FN 16 -> 128/144.
    assertThat(f1.base()).isCloseTo(40.0 / 120, within(1e-12));
    assertThat(f1.tuned()).isCloseTo(128.0 / 144, within(1e-12));
    assertThat(f1.baseInterval()).isEqualTo(central(base));
    assertThat(f1.tunedInterval()).isEqualTo(central(tuned));
    assertThat(f1.deltaInterval()).isEqualTo(central(delta));
    assertThat(scores.confidence().of(Headline.JSON_VALIDITY).orElseThrow().deltaInterval())
        .isEqualTo(central(validityDelta));
    assertThat(f1.deltaInterval().excludesZero()).isTrue();
    assertThat(f1.sentence())
        .isEqualTo(
            String.format(
                java.util.Locale.ROOT,
                "tuned is better on field F1 (micro) by +55.6 pts (95 %% CI %+.1f … %+.1f)",
                central(delta).low() * 100,
                central(delta).high() * 100));
    // The stored headline figures are the bootstrap's values over all examples.
    assertThat(scores.tuned().microF1()).isEqualTo(f1.tuned());
  }

  @Test
  void theSameSeedGivesTheSameResamplesAndEveryIndexIsAnExample() {
    int[][] once = PairedBootstrap.resamples(7, 50, 15);
    assertThat(PairedBootstrap.resamples(7, 50, 15)).isDeepEqualTo(once);
    assertThat(PairedBootstrap.resamples(7, 50, 16)).isNotEqualTo(once);
    assertThat(Arrays.stream(once).flatMapToInt(Arrays::stream).distinct().sorted().toArray())
        .containsExactly(0, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void thePercentilesAreTheDocumentedPositions() {
    double[] values = new double[2000];
    for (int i = 0; i < values.length; i++) {
      values[(i * 7919) % 2000] = i;
    }
    assertThat(PairedBootstrap.percentile(values)).isEqualTo(new Interval(50, 1949));
    assertThat(PairedBootstrap.percentile(new double[0])).isNull();
    assertThat(PairedBootstrap.percentile(new double[] {3})).isEqualTo(new Interval(3, 3));
  }

  @Test
  void aClearlyWorseTuneIsSaidToBeWorse() {
    List<EvaluationExample> swapped =
        generations().stream()
            .map(
                g ->
                    EvaluationScoresTest.example(
                        g.index(), g.expected(), g.tunedOutput(), g.baseOutput()))
            .toList();
    MetricConfidence f1 =
        EvaluationScores.compute(swapped, EvaluationScoresTest.SUMMARY)
            .confidence()
            .of(Headline.MICRO_F1)
            .orElseThrow();
    assertThat(f1.sentence())
        .startsWith("tuned is worse on field F1 (micro) by -55.6 pts (95 % CI -");
  }
}
