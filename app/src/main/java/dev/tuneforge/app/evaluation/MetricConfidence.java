package dev.tuneforge.app.evaluation;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One headline metric for base and tuned with the paired bootstrap's 95 % intervals of each and of
 * their difference (tuned − base). A value or interval is null where the metric is undefined.
 */
public record MetricConfidence(
    Headline metric,
    @Nullable Double base,
    @Nullable Double tuned,
    @Nullable Interval baseInterval,
    @Nullable Interval tunedInterval,
    @Nullable Interval deltaInterval) {

  public @Nullable Double delta() {
    return Ratios.delta(base, tuned);
  }

  /**
   * "tuned is better on field F1 (micro) by +31.2 pts (95 % CI +27.0 … +35.1)", the same with
   * "worse", or "no clear difference on …" when the interval includes 0.
   */
  public String sentence() {
    Double delta = delta();
    if (delta == null || deltaInterval == null) {
      return "no comparison on " + metric.label + ": it is undefined for a model";
    }
    String ci =
        "(95 % CI " + signed(deltaInterval.low()) + " … " + signed(deltaInterval.high()) + ")";
    if (!deltaInterval.excludesZero()) {
      return "no clear difference on " + metric.label + ": " + points(delta) + " " + ci;
    }
    String direction = deltaInterval.low() > 0 ? "better" : "worse";
    return "tuned is " + direction + " on " + metric.label + " by " + points(delta) + " " + ci;
  }

  static String points(double delta) {
    return signed(delta) + " pts";
  }

  private static String signed(double rate) {
    return String.format(Locale.ROOT, "%+.1f", rate * 100);
  }
}
