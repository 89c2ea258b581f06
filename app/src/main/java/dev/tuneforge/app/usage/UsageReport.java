package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One tenant's spend in one month: the total next to the budget, and the same money by day (every
 * day of the month, zero included), by user and by base model (largest first), with the segments.
 */
public record UsageReport(
    YearMonth month,
    String currency,
    BigDecimal total,
    @Nullable BigDecimal budget,
    Map<LocalDate, BigDecimal> byDay,
    Map<String, BigDecimal> byUser,
    Map<String, BigDecimal> byModel,
    List<Line> lines) {

  /**
   * A segment as reports and the CSV export show it; open segments are costed up to now. A job's
   * last training or evaluation segment, once the job holds no node, carries the job's estimate at
   * launch and its error against the metered training and evaluation ({@code estimate} null
   * elsewhere).
   */
  public record Line(
      String started,
      String ended,
      String kind,
      String job,
      String user,
      String baseModel,
      String node,
      String nodeClass,
      BigDecimal pricePerGpuHour,
      long seconds,
      long tokens,
      BigDecimal cost,
      @Nullable EstimateComparison estimate) {}

  /** The share of the budget spent, in percent; null without a budget. */
  public @Nullable Double budgetUsedPercent() {
    if (budget == null) {
      return null;
    }
    return budget.signum() == 0
        ? (total.signum() > 0 ? 100.0 : 0.0)
        : total.doubleValue() * 100 / budget.doubleValue();
  }
}
