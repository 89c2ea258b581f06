package dev.tuneforge.app.usage.ui;

import com.vaadin.flow.component.select.Select;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The month picker both usage pages share: this month and the eleven before it. */
final class Months {
  static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

  private Months() {}

  static Select<YearMonth> select(YearMonth current) {
    List<YearMonth> months = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      months.add(current.minusMonths(i));
    }
    Select<YearMonth> select = new Select<>();
    select.setLabel("Month");
    select.setId("usage-month");
    select.setItems(months);
    select.setItemLabelGenerator(LABEL::format);
    select.setValue(current);
    return select;
  }
}
