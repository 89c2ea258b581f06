package dev.tuneforge.app.evaluation.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import dev.tuneforge.app.evaluation.FieldOutcome;
import java.util.List;

/** Per-field right and wrong marks as small coloured badges, one per key path. */
final class Marks {
  private Marks() {}

  static Div of(List<FieldOutcome> outcomes, String cssClass) {
    Div marks = new Div();
    marks.addClassName(cssClass);
    for (FieldOutcome outcome : outcomes) {
      Span mark = new Span(label(outcome));
      mark.getElement().getThemeList().add("badge");
      mark.getElement()
          .getThemeList()
          .add(outcome.status() == FieldOutcome.Status.CORRECT ? "success" : "error");
      mark.getElement().setAttribute("title", detail(outcome));
      mark.getElement()
          .setAttribute("data-status", outcome.status().name().toLowerCase(java.util.Locale.ROOT));
      mark.getStyle().set("margin", "1px");
      marks.add(mark);
    }
    return marks;
  }

  static String label(FieldOutcome outcome) {
    return switch (outcome.status()) {
      case CORRECT -> "✓ " + outcome.path();
      case WRONG -> "✗ " + outcome.path();
      case MISSING -> "∅ " + outcome.path();
      case EXTRA -> "+ " + outcome.path();
    };
  }

  static String detail(FieldOutcome outcome) {
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
