package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.UUID;

/**
 * A finished job's estimate at launch for the node class it ran on, next to what its training and
 * evaluation were metered at; a merged export is not part of either.
 */
public record EstimateComparison(
    UUID jobId,
    String nodeClass,
    long estimatedSeconds,
    BigDecimal estimatedCost,
    long meteredSeconds,
    BigDecimal meteredCost,
    String currency) {

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
        "Estimated %s (%s) at launch; metered %s (%s): the estimate was %+.0f %% off",
        Money.format(estimatedCost, currency),
        Estimate.duration(estimatedSeconds),
        Money.format(meteredCost.setScale(6, RoundingMode.HALF_UP), currency),
        Estimate.duration(meteredSeconds),
        errorPercent());
  }

  /** The error for a CSV cell: one decimal, signed. */
  public String errorCell() {
    return String.format(Locale.ROOT, "%+.1f", errorPercent());
  }
}
