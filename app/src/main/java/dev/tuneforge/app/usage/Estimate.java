package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * What a job should cost on one node class: tokens × epochs ÷ throughput × price.
 *
 * @param tokensEstimated true when the dataset's tokens were estimated from its size in bytes
 * @param throughputMeasured false when the class has no finished training yet and the configured
 *     assumption stands in
 */
public record Estimate(
    String nodeClass,
    BigDecimal pricePerGpuHour,
    long tokens,
    boolean tokensEstimated,
    double tokensPerSecond,
    boolean throughputMeasured,
    long seconds,
    BigDecimal cost,
    String currency) {

  /** One line for people: the cost and how it was reached, saying which figures are assumptions. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%s on %s: %,d tokens%s ÷ %,.0f tokens/s%s = %s × %s/GPU-hour",
        Money.format(cost, currency),
        nodeClass,
        tokens,
        tokensEstimated ? " (estimated at 4 bytes per token)" : "",
        tokensPerSecond,
        throughputMeasured ? " (measured)" : " (assumed; none measured yet)",
        duration(seconds),
        Money.plain(pricePerGpuHour));
  }

  static String duration(long seconds) {
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 7200) {
      return (seconds + 30) / 60 + " min";
    }
    return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
  }
}
