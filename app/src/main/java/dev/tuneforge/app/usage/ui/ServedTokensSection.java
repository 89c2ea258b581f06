package dev.tuneforge.app.usage.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.tuneforge.app.usage.Money;
import dev.tuneforge.app.usage.ServedTokens;
import dev.tuneforge.app.usage.ServingMeter;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The tokens the team's generations were served in a month (playground and API), and their cost.
 */
class ServedTokensSection extends VerticalLayout {
  private static final DateTimeFormatter AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final ServingMeter meter;
  private final Paragraph summary = new Paragraph();
  private final Grid<ServedTokens> grid = new Grid<>();

  ServedTokensSection(ServingMeter meter) {
    this.meter = meter;
    setPadding(false);
    summary.setId("served-total");
    grid.setId("served-grid");
    grid.addColumn(s -> AT.format(s.getServedAt())).setHeader("Served (UTC)").setAutoWidth(true);
    grid.addColumn(ServedTokens::getModel).setHeader("Model").setFlexGrow(1);
    grid.addColumn(ServedTokens::getCaller).setHeader("Caller").setAutoWidth(true);
    grid.addColumn(ServedTokens::getNodeName).setHeader("Node").setAutoWidth(true);
    grid.addColumn(ServedTokens::getPromptTokens).setHeader("Prompt tokens").setAutoWidth(true);
    grid.addColumn(ServedTokens::getCompletionTokens)
        .setHeader("Completion tokens")
        .setAutoWidth(true);
    grid.addColumn(s -> Money.format(s.getCost(), meter.currency()))
        .setHeader("Cost")
        .setAutoWidth(true);
    grid.setAllRowsVisible(true);
    add(new H3("Tokens served"), summary, grid);
  }

  void show(YearMonth month) {
    List<ServedTokens> served = meter.inMonth(month);
    long prompt = served.stream().mapToLong(ServedTokens::getPromptTokens).sum();
    long completion = served.stream().mapToLong(ServedTokens::getCompletionTokens).sum();
    BigDecimal cost =
        served.stream().map(ServedTokens::getCost).reduce(BigDecimal.ZERO, BigDecimal::add);
    summary.setText(
        String.format(
            Locale.ROOT,
            "%,d generations served: %,d prompt and %,d completion tokens, %s at %s per 1,000 tokens",
            served.size(),
            prompt,
            completion,
            Money.format(cost, meter.currency()),
            Money.format(meter.pricePer1k(), meter.currency())));
    grid.setItems(served);
  }
}
