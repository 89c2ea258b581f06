package dev.tuneforge.app.usage.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AccessDeniedErrorRouter;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.BudgetService.TenantSpend;
import dev.tuneforge.app.usage.Money;
import dev.tuneforge.app.usage.UsageReports;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Platform admins: every tenant's spend in a month next to its budget. */
@Route("admin/usage")
@PageTitle("Platform usage · Tuneforge")
@Menu(order = 12, title = "Platform usage")
@RolesAllowed("PLATFORM_ADMIN")
@AccessDeniedErrorRouter
public class PlatformUsageView extends VerticalLayout {
  private final BudgetService budgets;
  private final String currency;
  private final Select<YearMonth> month;
  private final Paragraph total = new Paragraph();
  private final BarChart byTenant = BarChart.bars("usage-by-tenant", "Spend by tenant");
  private final Grid<TenantSpend> grid = new Grid<>();

  public PlatformUsageView(BudgetService budgets, UsageReports reports) {
    this.budgets = budgets;
    this.currency = reports.currency();
    this.month = Months.select(budgets.currentMonth());
    total.setId("platform-usage-total");
    grid.setId("platform-usage-grid");
    grid.addColumn(TenantSpend::tenantName).setHeader("Tenant").setFlexGrow(1);
    grid.addColumn(t -> Money.format(t.spend(), currency)).setHeader("Spend").setAutoWidth(true);
    grid.addColumn(t -> t.budget() == null ? "unlimited" : Money.format(t.budget(), currency))
        .setHeader("Monthly budget")
        .setAutoWidth(true);
    grid.addColumn(PlatformUsageView::used).setHeader("Used").setAutoWidth(true);
    grid.addColumn(t -> String.format(Locale.ROOT, "%.2f", t.seconds() / 3600.0))
        .setHeader("Node hours")
        .setAutoWidth(true);
    grid.addColumn(TenantSpend::tokens).setHeader("Tokens").setAutoWidth(true);
    grid.setAllRowsVisible(true);
    month.addValueChangeListener(e -> refresh());
    add(new H2("Platform usage"), month, total, byTenant, grid);
    refresh();
  }

  private void refresh() {
    List<TenantSpend> tenants = budgets.platform(month.getValue());
    BigDecimal sum =
        tenants.stream().map(TenantSpend::spend).reduce(BigDecimal.ZERO, BigDecimal::add);
    total.setText(
        "All tenants spent "
            + Money.format(sum, currency)
            + " in "
            + Months.LABEL.format(month.getValue()));
    byTenant.show(
        tenants.stream()
            .filter(t -> t.spend().signum() > 0)
            .sorted(Comparator.comparing(TenantSpend::spend).reversed())
            .map(
                t ->
                    new BarChart.Bar(
                        t.tenantName(), t.spend().doubleValue(), Money.format(t.spend(), currency)))
            .toList());
    grid.setItems(tenants);
  }

  private static String used(TenantSpend t) {
    BigDecimal budget = t.budget();
    if (budget == null) {
      return "—";
    }
    if (budget.signum() == 0) {
      return t.spend().signum() > 0 ? "over" : "0 %";
    }
    return String.format(
        Locale.ROOT, "%.1f %%", t.spend().doubleValue() * 100 / budget.doubleValue());
  }
}
