package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One tenant's spend in one month: the total next to the budget, and the same money by day (every
 * day of the month, zero included), by kind (training, evaluation, merge, serving, judge, teacher),
 * by job (node time, keyed by the job's id), by user, and by base model (node time only; largest
 * first), with the node-time segments and the tokens served or bought.
 */
public record UsageReport(
    YearMonth month,
    String currency,
    BigDecimal total,
    @Nullable BigDecimal budget,
    Map<LocalDate, BigDecimal> byDay,
    Map<String, BigDecimal> byKind,
    List<JobSpend> byJob,
    Map<String, BigDecimal> byUser,
    Map<String, BigDecimal> byModel,
    List<Line> lines,
    List<TokenLine> tokenLines) {

  /**
   * Tokens served ({@code serving}: one generation, {@code what} the model) or bought from a
   * teacher endpoint ({@code judge}: one judged example; {@code teacher}: one call of a teacher
   * pipeline run; {@code what} the endpoint and its model).
   */
  public record TokenLine(
      String at,
      String kind,
      String what,
      String user,
      long promptTokens,
      long completionTokens,
      BigDecimal cost) {}

  /**
   * A segment as reports and the CSV export show it; open segments are costed up to now. A job's
   * last training or evaluation segment, once the job holds no node, carries the job's estimate at
   * launch and its error against the metered training and evaluation ({@code estimate} null
   * elsewhere). {@code job} is the job's name as metered, {@code jobId} its id.
   */
  public record Line(
      String started,
      String ended,
      String kind,
      String job,
      String jobId,
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
    return usedPercent(total, budget);
  }

  /** The share of {@code budget} that {@code spent} is, in percent; null without a budget. */
  static @Nullable Double usedPercent(BigDecimal spent, @Nullable BigDecimal budget) {
    if (budget == null) {
      return null;
    }
    return budget.signum() == 0
        ? (spent.signum() > 0 ? 100.0 : 0.0)
        : spent.doubleValue() * 100 / budget.doubleValue();
  }
}
