package dev.tuneforge.app.usage;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.apikey.ApiCaller;
import dev.tuneforge.app.apikey.PublicApi;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spend and budgets for scripts: the team's usage by month (the usage page's reports and CSV, the
 * same figures), its budget, and, for platform admins as on the tenants page, setting a tenant's
 * monthly budget with the page's validation and audit record.
 */
@RestController
@PublicApi
@Tag(name = "Usage and budgets", description = "Spend by kind, job, user and model; budgets")
class UsageApiController {
  static final int MAX_MONTHS = 24;

  private final UsageReports reports;
  private final BudgetService budgets;
  private final TenantService tenants;

  UsageApiController(UsageReports reports, BudgetService budgets, TenantService tenants) {
    this.reports = reports;
    this.budgets = budgets;
    this.tenants = tenants;
  }

  @GetMapping("/api/usage")
  @Operation(
      summary = "The team's spend over whole months",
      description =
          "from and to are months (YYYY-MM, UTC), both included, at most "
              + MAX_MONTHS
              + " apart; both default to the current month")
  UsageJson.UsageSpend usage(
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String to) {
    ApiCaller.requireTeam();
    YearMonth first = month("from", from);
    YearMonth last = month("to", to);
    if (last.isBefore(first) || first.plusMonths(MAX_MONTHS - 1).isBefore(last)) {
      throw new IllegalArgumentException(
          "to is not before from, and at most " + MAX_MONTHS + " months after it");
    }
    BigDecimal total = BigDecimal.ZERO;
    Map<String, BigDecimal> byKind = new LinkedHashMap<>();
    Map<UUID, JobSpend> byJob = new LinkedHashMap<>();
    Map<String, BigDecimal> byUser = new LinkedHashMap<>();
    Map<String, BigDecimal> byModel = new LinkedHashMap<>();
    List<UsageJson.MonthSpend> months = new ArrayList<>();
    List<UsageReport.Line> lines = new ArrayList<>();
    List<UsageReport.TokenLine> tokenLines = new ArrayList<>();
    for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
      UsageReport report = reports.report(month);
      total = total.add(report.total());
      report.byKind().forEach((k, v) -> byKind.merge(k, v, BigDecimal::add));
      report.byUser().forEach((k, v) -> byUser.merge(k, v, BigDecimal::add));
      report.byModel().forEach((k, v) -> byModel.merge(k, v, BigDecimal::add));
      report.byJob().forEach(j -> byJob.merge(j.id(), j, (a, b) -> a.plus(b.cost())));
      months.add(new UsageJson.MonthSpend(month.toString(), report.total(), report.budget()));
      lines.addAll(report.lines());
      tokenLines.addAll(report.tokenLines());
    }
    return new UsageJson.UsageSpend(
        first.toString(),
        last.toString(),
        reports.currency(),
        total,
        UsageReports.largestFirst(byKind),
        UsageReports.largestFirst(byJob.values()),
        UsageReports.largestFirst(byUser),
        UsageReports.largestFirst(byModel),
        months,
        lines,
        tokenLines);
  }

  @GetMapping(value = "/api/usage/csv", produces = "text/csv")
  @Operation(summary = "One month's usage as the usage page's CSV download")
  ResponseEntity<String> usageCsv(@RequestParam(required = false) @Nullable String month) {
    ApiCaller.requireTeam();
    YearMonth chosen = month("month", month);
    return ResponseEntity.ok()
        .header("Content-Disposition", "attachment; filename=\"usage-" + chosen + ".csv\"")
        .contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
        .body(reports.csv(chosen));
  }

  @GetMapping("/api/budget")
  @Operation(summary = "The team's monthly budget and this month's spend")
  UsageJson.TeamBudget budget() {
    UUID tenant = ApiCaller.requireTeam();
    return budget(tenant, budgets.budget(tenant).orElse(null));
  }

  @PutMapping("/api/tenants/{tenant}/budget")
  @Operation(
      summary = "Sets a tenant's monthly budget (platform admins, as on the tenants page)",
      description = "tenant is the tenant's id or name; a null monthlyBudget removes the limit")
  UsageJson.TeamBudget setBudget(
      @PathVariable String tenant, @RequestBody UsageJson.BudgetChange change) {
    if (CurrentUser.require().role() != Role.PLATFORM_ADMIN) {
      throw new AccessDeniedException("Only platform admins set a tenant's monthly budget");
    }
    Tenant found =
        id(tenant)
            .flatMap(tenants::find)
            .or(() -> tenants.findByName(tenant))
            .orElseThrow(() -> new NoSuchElementException("No such tenant"));
    Tenant saved = tenants.setMonthlyBudget(found.getId(), change.monthlyBudget());
    return budget(saved.getId(), saved.getMonthlyBudget());
  }

  private UsageJson.TeamBudget budget(UUID tenant, @Nullable BigDecimal budget) {
    YearMonth month = budgets.currentMonth();
    BigDecimal spent = budgets.spend(tenant, month);
    return new UsageJson.TeamBudget(
        tenant,
        month.toString(),
        reports.currency(),
        budget,
        spent,
        UsageReport.usedPercent(spent, budget));
  }

  private YearMonth month(String name, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return budgets.currentMonth();
    }
    try {
      return YearMonth.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " is a month as YYYY-MM, not '" + value + "'");
    }
  }

  private static Optional<UUID> id(String ref) {
    try {
      return Optional.of(UUID.fromString(ref));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
