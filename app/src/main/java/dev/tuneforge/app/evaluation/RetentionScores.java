package dev.tuneforge.app.evaluation;

import dev.tuneforge.fieldmetrics.ValueNormaliser;
import dev.tuneforge.protocol.RetentionExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * General ability kept or lost: base and tuned on the retention set, scored by exact answers (equal
 * after {@link ValueNormaliser normalisation}) and by mean per-token loss on the expected answers
 * (each token weighing the same), with paired bootstrap intervals ({@link PairedBootstrap}: same
 * seed, resamples and percentiles as the headline metrics) of each model's figure and of tuned −
 * base.
 */
public record RetentionScores(
    int examples,
    double baseExactMatch,
    double tunedExactMatch,
    @Nullable Interval exactMatchDelta,
    @Nullable Double baseLoss,
    @Nullable Double tunedLoss,
    @Nullable Interval lossDelta) {

  /**
   * Clearly worse: the exact-match change's interval lies entirely below 0, or the loss change's
   * entirely above 0 (a higher loss is worse).
   */
  public boolean tunedClearlyWorse() {
    return exactMatchDelta != null && exactMatchDelta.high() < 0
        || lossDelta != null && lossDelta.low() > 0;
  }

  /**
   * @throws IllegalArgumentException when there are no examples
   */
  public static RetentionScores of(List<RetentionExample> examples) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("the retention set has no examples");
    }
    int n = examples.size();
    double[] baseExact = new double[n];
    double[] tunedExact = new double[n];
    for (int i = 0; i < n; i++) {
      RetentionExample e = examples.get(i);
      baseExact[i] = ValueNormaliser.sameValue(e.expected(), e.baseOutput()) ? 1 : 0;
      tunedExact[i] = ValueNormaliser.sameValue(e.expected(), e.tunedOutput()) ? 1 : 0;
    }
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    List<Double> exactDeltas = new ArrayList<>();
    List<Double> lossDeltas = new ArrayList<>();
    for (int[] resample :
        PairedBootstrap.resamples(n, PairedBootstrap.RESAMPLES, PairedBootstrap.SEED)) {
      exactDeltas.add(mean(tunedExact, resample) - mean(baseExact, resample));
      Double base = loss(examples, resample, true);
      Double tuned = loss(examples, resample, false);
      if (base != null && tuned != null) {
        lossDeltas.add(tuned - base);
      }
    }
    return new RetentionScores(
        n,
        mean(baseExact, all),
        mean(tunedExact, all),
        PairedBootstrap.percentile(PairedBootstrap.unbox(exactDeltas)),
        loss(examples, all, true),
        loss(examples, all, false),
        PairedBootstrap.percentile(PairedBootstrap.unbox(lossDeltas)));
  }

  private static double mean(double[] values, int[] indices) {
    double sum = 0;
    for (int i : indices) {
      sum += values[i];
    }
    return sum / indices.length;
  }

  /** Token-weighted: the summed loss of the answers' tokens over their number; null for none. */
  private static @Nullable Double loss(
      List<RetentionExample> examples, int[] indices, boolean base) {
    double sum = 0;
    long tokens = 0;
    for (int i : indices) {
      RetentionExample e = examples.get(i);
      Double loss = base ? e.baseLoss() : e.tunedLoss();
      if (loss != null) {
        sum += loss * e.answerTokens();
        tokens += e.answerTokens();
      }
    }
    return tokens == 0 ? null : sum / tokens;
  }
}
