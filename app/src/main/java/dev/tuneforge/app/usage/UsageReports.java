package dev.tuneforge.app.usage;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.AppUser;
import dev.tuneforge.app.tenancy.TenantContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Service;

/** The calling tenant's usage: reports by day, user and base model, and the CSV export. */
@Service
public class UsageReports {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

  private final UsageRepository records;
  private final BudgetService budgets;
  private final AccountService accounts;
  private final UsageProperties properties;
  private final JobEstimates estimates;
  private final ServingMeter served;
  private final TokenCharges charges;
  private final JobLabels labels;
  private final Clock clock;

  UsageReports(
      UsageRepository records,
      BudgetService budgets,
      AccountService accounts,
      UsageProperties properties,
      JobEstimates estimates,
      ServingMeter served,
      TokenCharges charges,
      JobLabels labels,
      Clock clock) {
    this.records = records;
    this.budgets = budgets;
    this.accounts = accounts;
    this.properties = properties;
    this.estimates = estimates;
    this.served = served;
    this.charges = charges;
    this.labels = labels;
    this.clock = clock;
  }

  /**
   * The month's report for the signed-in member's tenant; by day in UTC, a segment counted on the
   * day it began.
   */
  public UsageReport report(YearMonth month) {
    UUID tenant = TenantContext.requireTenant();
    Instant now = clock.instant();
    Map<UUID, String> users =
        accounts.visibleUsers().stream()
            .collect(Collectors.toMap(AppUser::getId, AppUser::getUsername, (a, b) -> a));
    List<UsageRecord> rows =
        records.findByStartedAtGreaterThanEqualAndStartedAtLessThanOrderByStartedAt(
            BudgetService.start(month), BudgetService.start(month.plusMonths(1)));
    Map<LocalDate, BigDecimal> byDay = new LinkedHashMap<>();
    for (int day = 1; day <= month.lengthOfMonth(); day++) {
      byDay.put(month.atDay(day), BigDecimal.ZERO);
    }
    Map<UUID, EstimateComparison> compared =
        estimates.comparisons(rows.stream().map(UsageRecord::getJobId).distinct().toList()).stream()
            .collect(Collectors.toMap(EstimateComparison::jobId, c -> c));
    Map<UUID, UsageRecord> lastBilled = new LinkedHashMap<>();
    rows.stream()
        .filter(r -> r.getKind() != UsageKind.MERGE)
        .forEach(r -> lastBilled.put(r.getJobId(), r));
    List<UsageReport.Line> lines = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO;
    Map<String, BigDecimal> byKind = new LinkedHashMap<>();
    for (UsageRecord r : rows) {
      BigDecimal cost = r.costAt(now);
      total = total.add(cost);
      byDay.merge(LocalDate.ofInstant(r.getStartedAt(), ZoneOffset.UTC), cost, BigDecimal::add);
      byKind.merge(r.getKind().wire(), cost, BigDecimal::add);
      lines.add(
          new UsageReport.Line(
              TIME.format(r.getStartedAt()),
              r.getEndedAt() == null ? "" : TIME.format(r.getEndedAt()),
              r.getKind().wire(),
              r.getJobName(),
              r.getJobId().toString(),
              users.getOrDefault(r.getUserId(), r.getUserId().toString()),
              r.getBaseModelName(),
              r.getNodeName(),
              r.getNodeClass(),
              r.getPricePerGpuHour(),
              r.secondsAt(now),
              r.getTrainedTokens(),
              cost,
              lastBilled.get(r.getJobId()) == r ? compared.get(r.getJobId()) : null));
    }
    List<TokenCharge> bought = charges.inMonth(month);
    List<UsageReport.TokenLine> tokenLines = tokenLines(month, bought);
    Map<String, BigDecimal> byUser = new LinkedHashMap<>();
    lines.forEach(l -> byUser.merge(l.user(), l.cost(), BigDecimal::add));
    for (UsageReport.TokenLine t : tokenLines) {
      total = total.add(t.cost());
      byDay.merge(
          LocalDate.ofInstant(Instant.parse(t.at()), ZoneOffset.UTC), t.cost(), BigDecimal::add);
      byKind.merge(t.kind(), t.cost(), BigDecimal::add);
      byUser.merge(t.user(), t.cost(), BigDecimal::add);
    }
    return new UsageReport(
        month,
        properties.currency(),
        total,
        budgets.budget(tenant).orElse(null),
        byDay,
        largestFirst(byKind),
        byJob(lines, bought),
        largestFirst(byUser),
        largestFirst(sum(lines, UsageReport.Line::baseModel)),
        lines,
        tokenLines);
  }

  /**
   * Spend by job id, largest first: its node time and the tokens bought for it (the judge's),
   * labelled as the job's pages label it now (the metered name for a job deleted since).
   */
  private List<JobSpend> byJob(List<UsageReport.Line> lines, List<TokenCharge> bought) {
    List<UUID> ids =
        Stream.concat(
                lines.stream().map(l -> UUID.fromString(l.jobId())),
                bought.stream().map(TokenCharge::getJobId).filter(Objects::nonNull))
            .distinct()
            .toList();
    Map<UUID, String> labelled = labels.of(ids);
    Map<UUID, JobSpend> byJob = new LinkedHashMap<>();
    for (UsageReport.Line l : lines) {
      UUID id = UUID.fromString(l.jobId());
      byJob.merge(
          id,
          new JobSpend(id, l.job(), labelled.getOrDefault(id, l.job()), l.cost()),
          (a, b) -> a.plus(b.cost()));
    }
    for (TokenCharge c : bought) {
      UUID id = c.getJobId();
      if (id != null) {
        String label = labelled.getOrDefault(id, id.toString());
        byJob.merge(id, new JobSpend(id, label, label, c.getCost()), (a, b) -> a.plus(b.cost()));
      }
    }
    return largestFirst(byJob.values());
  }

  /** Spend by job, largest first. */
  static List<JobSpend> largestFirst(Collection<JobSpend> jobs) {
    return jobs.stream().sorted(Comparator.comparing(JobSpend::cost).reversed()).toList();
  }

  /**
   * The month's generations served and tokens bought from teacher endpoints (the judge's and the
   * teacher pipeline's), oldest first.
   */
  private List<UsageReport.TokenLine> tokenLines(YearMonth month, List<TokenCharge> bought) {
    List<UsageReport.TokenLine> tokens = new ArrayList<>();
    for (ServedTokens s : served.inMonth(month)) {
      tokens.add(
          new UsageReport.TokenLine(
              TIME.format(s.getServedAt()),
              "serving",
              s.getModel(),
              s.getCaller(),
              s.getPromptTokens(),
              s.getCompletionTokens(),
              s.getCost()));
    }
    for (TokenCharge c : bought) {
      tokens.add(
          new UsageReport.TokenLine(
              TIME.format(c.getChargedAt()),
              c.getKind(),
              c.getEndpointName() + " · " + c.getModel(),
              c.getUsername(),
              c.getPromptTokens(),
              c.getCompletionTokens(),
              c.getCost()));
    }
    tokens.sort(Comparator.comparing(UsageReport.TokenLine::at));
    return tokens;
  }

  /**
   * The month's segments as CSV (RFC 4180), one line each, for the signed-in member's tenant; a
   * job's last training or evaluation line also gives its estimate at dispatch and the error in
   * percent.
   */
  public String csv(YearMonth month) {
    StringBuilder out =
        new StringBuilder(
            "started_at,ended_at,kind,job,job_id,user,base_model,node,node_class,price_per_gpu_hour,seconds,tokens,cost,currency,estimate,error_percent\r\n");
    UsageReport report = report(month);
    for (UsageReport.Line l : report.lines()) {
      out.append(
              String.join(
                  ",",
                  l.started(),
                  l.ended(),
                  l.kind(),
                  quote(l.job()),
                  l.jobId(),
                  quote(l.user()),
                  quote(l.baseModel()),
                  quote(l.node()),
                  quote(l.nodeClass()),
                  l.pricePerGpuHour().toPlainString(),
                  Long.toString(l.seconds()),
                  Long.toString(l.tokens()),
                  l.cost().toPlainString(),
                  properties.currency(),
                  l.estimate() == null ? "" : l.estimate().estimatedCost().toPlainString(),
                  l.estimate() == null ? "" : l.estimate().errorCell()))
          .append("\r\n");
    }
    for (UsageReport.TokenLine t : report.tokenLines()) {
      out.append(
              String.join(
                  ",",
                  t.at(),
                  t.at(),
                  t.kind(),
                  quote(t.what()),
                  "",
                  quote(t.user()),
                  "",
                  "",
                  "",
                  "",
                  "0",
                  Long.toString(t.promptTokens() + t.completionTokens()),
                  t.cost().toPlainString(),
                  properties.currency(),
                  "",
                  ""))
          .append("\r\n");
    }
    return out.toString();
  }

  public String currency() {
    return properties.currency();
  }

  private static Map<String, BigDecimal> sum(
      List<UsageReport.Line> lines, Function<UsageReport.Line, String> key) {
    return lines.stream().collect(Collectors.toMap(key, UsageReport.Line::cost, BigDecimal::add));
  }

  static Map<String, BigDecimal> largestFirst(Map<String, BigDecimal> sums) {
    return sums.entrySet().stream()
        .sorted(Map.Entry.<String, BigDecimal>comparingByValue(Comparator.reverseOrder()))
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  private static String quote(String value) {
    boolean needs =
        value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
    String safe =
        value.startsWith("=")
                || value.startsWith("+")
                || value.startsWith("-")
                || value.startsWith("@")
            ? "'" + value
            : value;
    return needs || !safe.equals(value) ? "\"" + safe.replace("\"", "\"\"") + "\"" : value;
  }
}
