package dev.tuneforge.app.evaluation.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import dev.tuneforge.fieldmetrics.FieldComparison;
import java.util.List;

/** Per-field right and wrong marks as small coloured badges, one per key path. */
final class Marks {
  private Marks() {}

  static Div of(List<FieldComparison.Outcome> outcomes, String cssClass) {
    Div marks = new Div();
    marks.addClassName(cssClass);
    for (FieldComparison.Outcome outcome : outcomes) {
      Span mark = new Span(label(outcome));
      mark.getElement().getThemeList().add("badge");
      mark.getElement()
          .getThemeList()
          .add(outcome.status() == FieldComparison.Status.CORRECT ? "success" : "error");
      mark.getElement().setAttribute("title", detail(outcome));
      mark.getElement()
          .setAttribute("data-status", outcome.status().name().toLowerCase(java.util.Locale.ROOT));
      mark.getStyle().set("margin", "1px");
      marks.add(mark);
    }
    return marks;
  }

  static String label(FieldComparison.Outcome outcome) {
    return switch (outcome.status()) {
      case CORRECT -> "✓ " + outcome.path();
      case WRONG -> "✗ " + outcome.path();
      case MISSING -> "∅ " + outcome.path();
      case EXTRA -> "+ " + outcome.path();
    };
  }

  static String detail(FieldComparison.Outcome outcome) {
    return switch (outcome.status()) {
      case CORRECT ->
          outcome.path()
              + " = "
              + outcome.predicted()
              + (outcome.exactMatch()
                  ? ""
                  : " (matches " + outcome.expected() + " after normalisation)");
      case WRONG ->
          outcome.path() + ": expected " + outcome.expected() + ", got " + outcome.predicted();
      case MISSING -> outcome.path() + ": expected " + outcome.expected() + ", not given";
      case EXTRA -> outcome.path() + ": not expected, got " + outcome.predicted();
    };
  }
}
