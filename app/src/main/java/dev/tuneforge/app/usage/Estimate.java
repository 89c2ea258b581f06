package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * What a job should cost on one node class: the time around the steps, the trained tokens at the
 * class's training speed and the evaluation's generated tokens at its generation speed, × price.
 *
 * @param tokensBasis where the tokens come from: the exact count, or bytes per token measured on a
 *     sample (or assumed)
 * @param speedBasis where the speeds come from: how many recent jobs, or the configured assumptions
 */
public record Estimate(
    String nodeClass,
    BigDecimal pricePerGpuHour,
    int steps,
    long tokens,
    String tokensBasis,
    double tokensPerSecond,
    long overheadSeconds,
    long generatedTokens,
    double generatedPerSecond,
    String speedBasis,
    long seconds,
    BigDecimal cost,
    String currency) {

  /** One line for people: the cost and how it was reached, saying which figures are assumptions. */
  public String describe() {
    String evaluation =
        generatedTokens == 0
            ? ""
            : String.format(
                Locale.ROOT,
                " + %,d generated tokens ÷ %,.1f tokens/s",
                generatedTokens,
                generatedPerSecond);
    return String.format(
        Locale.ROOT,
        "%s on %s: %d s start-up + %,d steps of %,d tokens (%s) ÷ %,.0f tokens/s%s = %s × %s/GPU-hour (%s)",
        Money.format(cost, currency),
        nodeClass,
        overheadSeconds,
        steps,
        tokens,
        tokensBasis,
        tokensPerSecond,
        evaluation,
        duration(seconds),
        Money.format(pricePerGpuHour, currency),
        speedBasis);
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
