package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.UUID;

/**
 * A finished job's estimate for the node class it ran on, made when it was dispatched there (or,
 * for a job dispatched before dispatch estimates were kept, at launch), next to what its training
 * and evaluation were metered at; a merged export is not part of either. {@code moment} is {@code
 * dispatch} or {@code launch}.
 */
public record EstimateComparison(
    UUID jobId,
    String nodeClass,
    long estimatedSeconds,
    BigDecimal estimatedCost,
    long meteredSeconds,
    BigDecimal meteredCost,
    String currency,
    String moment) {

  /**
   * (estimate − metered) ÷ metered, in percent, of the cost; of the time where the node is free; 0
   * when nothing was metered.
   */
  public double errorPercent() {
    if (meteredCost.signum() > 0) {
      return estimatedCost.subtract(meteredCost).doubleValue() / meteredCost.doubleValue() * 100;
    }
    return meteredSeconds == 0 ? 0 : 100.0 * (estimatedSeconds - meteredSeconds) / meteredSeconds;
  }

  public String describe() {
    return String.format(
        Locale.ROOT,
        "Estimated %s (%s) at %s; metered %s (%s): the estimate was %+.0f %% off",
        Money.format(estimatedCost, currency),
        Estimate.duration(estimatedSeconds),
        moment,
        Money.format(meteredCost.setScale(6, RoundingMode.HALF_UP), currency),
        Estimate.duration(meteredSeconds),
        errorPercent());
  }

  /** The error for a CSV cell: one decimal, signed. */
  public String errorCell() {
    return String.format(Locale.ROOT, "%+.1f", errorPercent());
  }
}
