package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** What the native API answers about spend and budgets. */
final class UsageJson {
  private UsageJson() {}

  /**
   * The team's spend over whole months {@code from} to {@code to} (both {@code YYYY-MM}, UTC): the
   * total and the same money by kind, job (node time, one entry per job id), user and base model
   * (largest first), each month's total against its budget, and the segments and token lines of the
   * usage page and its CSV.
   */
  record UsageSpend(
      String from,
      String to,
      String currency,
      BigDecimal total,
      Map<String, BigDecimal> byKind,
      List<JobSpend> byJob,
      Map<String, BigDecimal> byUser,
      Map<String, BigDecimal> byModel,
      List<MonthSpend> months,
      List<UsageReport.Line> lines,
      List<UsageReport.TokenLine> tokenLines) {}

  /** One month's total, next to the budget (null: unlimited). */
  record MonthSpend(String month, BigDecimal total, @Nullable BigDecimal budget) {}

  /** A team's monthly budget (null: unlimited) and its spend in the current month. */
  record TeamBudget(
      UUID tenantId,
      String month,
      String currency,
      @Nullable BigDecimal monthlyBudget,
      BigDecimal spent,
      @Nullable Double usedPercent) {}

  /** A new monthly budget; null or absent removes the limit. */
  record BudgetChange(@Nullable BigDecimal monthlyBudget) {}
}
