package dev.tuneforge.app.usage.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.JobSpend;
import dev.tuneforge.app.usage.Money;
import dev.tuneforge.app.usage.ServingMeter;
import dev.tuneforge.app.usage.TokenCharge;
import dev.tuneforge.app.usage.UsageReport;
import dev.tuneforge.app.usage.UsageReports;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The team's spend in a month: total against the budget, by day, kind, job, user and base model, a
 * CSV export, the tokens served and the tokens bought from teacher endpoints (judge and teacher
 * pipeline).
 */
@Route("usage")
@PageTitle("Usage · Tuneforge")
@Menu(order = 4, title = "Usage")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class UsageView extends VerticalLayout {
  private final UsageReports reports;
  private final Select<YearMonth> month;
  private final Paragraph total = new Paragraph();
  private final Paragraph budget = new Paragraph();
  private final BarChart byDay = BarChart.columns("usage-by-day", "Spend by day");
  private final BarChart byKind = BarChart.bars("usage-by-kind", "Spend by kind");
  private final BarChart byJob = BarChart.bars("usage-by-job", "Spend by job");
  private final BarChart byUser = BarChart.bars("usage-by-user", "Spend by user");
  private final BarChart byModel = BarChart.bars("usage-by-model", "Spend by base model");
  private final Grid<UsageReport.Line> grid = new Grid<>();
  private final Anchor csv = new Anchor();
  private final ServedTokensSection served;
  private final Grid<UsageReport.TokenLine> bought = new Grid<>();

  public UsageView(UsageReports reports, BudgetService budgets, ServingMeter meter) {
    this.reports = reports;
    this.served = new ServedTokensSection(meter);
    this.month = Months.select(budgets.currentMonth());
    total.setId("usage-total");
    budget.setId("usage-budget");
    csv.setId("usage-csv");
    csv.setText("Download CSV");
    grid.setId("usage-grid");
    grid.addColumn(UsageReport.Line::started).setHeader("Started (UTC)").setAutoWidth(true);
    grid.addColumn(UsageReport.Line::kind).setHeader("Kind").setAutoWidth(true);
    grid.addColumn(UsageReport.Line::job).setHeader("Job").setFlexGrow(1);
    grid.addColumn(UsageReport.Line::user).setHeader("User").setAutoWidth(true);
    grid.addColumn(UsageReport.Line::node).setHeader("Node").setAutoWidth(true);
    grid.addColumn(l -> l.seconds() + " s").setHeader("Time").setAutoWidth(true);
    grid.addColumn(UsageReport.Line::tokens).setHeader("Tokens").setAutoWidth(true);
    grid.addColumn(l -> Money.format(l.cost(), reports.currency()))
        .setHeader("Cost")
        .setAutoWidth(true);
    grid.addColumn(l -> l.estimate() == null ? "" : l.estimate().errorCell() + " %")
        .setHeader("Estimate error")
        .setTooltipGenerator(l -> l.estimate() == null ? "" : l.estimate().describe())
        .setAutoWidth(true);
    grid.setAllRowsVisible(true);
    bought.setId("token-charges-grid");
    bought.addColumn(UsageReport.TokenLine::at).setHeader("At (UTC)").setAutoWidth(true);
    bought.addColumn(UsageView::kindLabel).setHeader("Kind").setAutoWidth(true);
    bought.addColumn(UsageReport.TokenLine::what).setHeader("Endpoint").setFlexGrow(1);
    bought.addColumn(UsageReport.TokenLine::user).setHeader("User").setAutoWidth(true);
    bought.addColumn(UsageReport.TokenLine::promptTokens).setHeader("Prompt tokens");
    bought.addColumn(UsageReport.TokenLine::completionTokens).setHeader("Completion tokens");
    bought
        .addColumn(l -> Money.format(l.cost(), reports.currency()))
        .setHeader("Cost")
        .setAutoWidth(true);
    bought.setAllRowsVisible(true);
    month.addValueChangeListener(e -> refresh());

    HorizontalLayout top = new HorizontalLayout(month, csv);
    top.setAlignItems(Alignment.BASELINE);
    add(
        new H2("Usage"),
        top,
        total,
        budget,
        new H3("By day"),
        byDay,
        new H3("By kind"),
        byKind,
        new H3("By job"),
        byJob,
        new H3("By user"),
        byUser,
        new H3("By base model"),
        byModel,
        new H3("Node time"),
        grid,
        served,
        new H3("Tokens bought from teacher endpoints"),
        bought);
    refresh();
  }

  private void refresh() {
    YearMonth selected = month.getValue();
    UsageReport report = reports.report(selected);
    String currency = report.currency();
    total.setText(
        "Spent "
            + Money.format(report.total(), currency)
            + " in "
            + Months.LABEL.format(selected)
            + " ("
            + count(report.lines().size(), "metered segment")
            + ", "
            + count(tokens(report, "serving"), "generation")
            + " served, "
            + count(tokens(report, TokenCharge.JUDGE), "example")
            + " judged, "
            + count(tokens(report, TokenCharge.TEACHER), "teacher generation")
            + ")");
    BigDecimal limit = report.budget();
    Double used = report.budgetUsedPercent();
    budget.setText(
        limit == null || used == null
            ? "No monthly budget: spend is not limited."
            : String.format(
                Locale.ROOT,
                "Monthly budget %s: %.1f %% used",
                Money.format(limit, currency),
                used));
    byDay.show(
        report.byDay().entrySet().stream()
            .map(
                e ->
                    new BarChart.Bar(
                        Integer.toString(e.getKey().getDayOfMonth()),
                        e.getValue().doubleValue(),
                        Money.format(e.getValue(), currency)))
            .toList());
    byKind.show(bars(report.byKind(), currency));
    byUser.show(bars(report.byUser(), currency));
    byModel.show(bars(report.byModel(), currency));
    grid.setItems(report.lines());
    byJob.show(
        jobLabels(report.byJob()).entrySet().stream()
            .map(
                e ->
                    new BarChart.Bar(
                        e.getValue(),
                        e.getKey().cost().doubleValue(),
                        Money.format(e.getKey().cost(), currency)))
            .toList());
    bought.setItems(report.tokenLines().stream().filter(t -> !t.kind().equals("serving")).toList());
    served.show(selected);
    String file = "usage-" + selected + ".csv";
    csv.setHref(
        DownloadHandler.fromInputStream(
            event -> {
              byte[] bytes = reports.csv(selected).getBytes(StandardCharsets.UTF_8);
              return new com.vaadin.flow.server.streams.DownloadResponse(
                  new java.io.ByteArrayInputStream(bytes),
                  file,
                  "text/csv;charset=UTF-8",
                  bytes.length);
            }));
  }

  /** The jobs' labels, a short id added where two jobs share one. */
  static Map<JobSpend, String> jobLabels(List<JobSpend> jobs) {
    Map<String, Long> uses =
        jobs.stream().collect(Collectors.groupingBy(JobSpend::label, Collectors.counting()));
    Map<JobSpend, String> labels = new LinkedHashMap<>();
    for (JobSpend job : jobs) {
      labels.put(
          job,
          uses.get(job.label()) > 1
              ? job.label() + " · " + job.id().toString().substring(0, 8)
              : job.label());
    }
    return labels;
  }

  private static long tokens(UsageReport report, String kind) {
    return report.tokenLines().stream().filter(t -> t.kind().equals(kind)).count();
  }

  private static String count(long n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private static String kindLabel(UsageReport.TokenLine line) {
    return line.kind().equals(TokenCharge.JUDGE) ? "LLM judge" : "Teacher pipeline";
  }

  private static List<BarChart.Bar> bars(Map<String, BigDecimal> sums, String currency) {
    return sums.entrySet().stream()
        .map(
            e ->
                new BarChart.Bar(
                    e.getKey(), e.getValue().doubleValue(), Money.format(e.getValue(), currency)))
        .toList();
  }
}
