package dev.tuneforge.app.evaluation.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import dev.tuneforge.app.evaluation.Interval;
import dev.tuneforge.app.evaluation.LatencyFigures;
import dev.tuneforge.app.evaluation.RetentionScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The evaluation page's sections beyond the task: how fast and how long each model answers on the
 * node that evaluated them, and whether the tuned model kept its general ability (retention).
 */
final class ProductionFigures {

  private ProductionFigures() {}

  /** One row of the latency table: a distribution's p50 / p90 / max for base and tuned. */
  record LatencyRow(String name, String base, String tuned) {}

  static List<Component> latency(LatencyFigures figures, Optional<String> node) {
    Paragraph where =
        new Paragraph(
            "Measured by "
                + node.map(n -> "node " + n).orElse("the training node")
                + (figures.device() == null ? "" : " on " + figures.device())
                + " while it generated the evaluation's answers, prompts batched as in training:"
                + " time to first token is the batch's prefill, tokens per second the decoding"
                + " after the first token. p50 / p90 / max over the examples.");
    where.setId("latency-where");
    Grid<LatencyRow> grid = new Grid<>();
    grid.setId("evaluation-latency");
    grid.addColumn(LatencyRow::name).setHeader("Figure").setAutoWidth(true).setFlexGrow(1);
    grid.addColumn(LatencyRow::base).setHeader("Base").setAutoWidth(true);
    grid.addColumn(LatencyRow::tuned).setHeader("Tuned").setAutoWidth(true);
    grid.setItems(
        List.of(
            row(figures, "Time to first token (ms)", m -> m.firstTokenSeconds(), 1000, "%.0f"),
            row(figures, "Decode tokens/s", m -> m.tokensPerSecond(), 1, "%.1f"),
            row(figures, "Output length (tokens)", m -> m.outputTokens(), 1, "%.0f")));
    grid.setAllRowsVisible(true);
    grid.addThemeVariants(GridVariant.LUMO_COMPACT);
    return List.of(new H3("Latency and output length"), where, grid);
  }

  private static LatencyRow row(
      LatencyFigures figures,
      String name,
      Function<LatencyFigures.ModelLatency, LatencyFigures.@Nullable Distribution> figure,
      double scale,
      String format) {
    return new LatencyRow(
        name,
        text(figure.apply(figures.base()), scale, format),
        text(figure.apply(figures.tuned()), scale, format));
  }

  private static String text(LatencyFigures.@Nullable Distribution d, double scale, String format) {
    if (d == null) {
      return "—";
    }
    String f = format + " / " + format + " / " + format;
    return String.format(Locale.ROOT, f, d.p50() * scale, d.p90() * scale, d.max() * scale);
  }

  static List<Component> retention(RetentionScores scores) {
    List<Component> section = new ArrayList<>();
    section.add(new H3("General ability (retention)"));
    Paragraph summary =
        new Paragraph(
            String.format(
                Locale.ROOT,
                "On %d general-ability items: exact answers %.1f %% → %.1f %% (%s pts, 95 %% CI %s);"
                    + " loss on the expected answers %s → %s (%s, 95 %% CI %s).",
                scores.examples(),
                100 * scores.baseExactMatch(),
                100 * scores.tunedExactMatch(),
                signed(100 * (scores.tunedExactMatch() - scores.baseExactMatch()), "%+.1f"),
                interval(scores.exactMatchDelta(), 100, "%+.1f"),
                number(scores.baseLoss()),
                number(scores.tunedLoss()),
                scores.baseLoss() == null || scores.tunedLoss() == null
                    ? "—"
                    : signed(scores.tunedLoss() - scores.baseLoss(), "%+.3f"),
                interval(scores.lossDelta(), 1, "%+.3f")));
    summary.setId("retention-summary");
    section.add(summary);
    if (scores.tunedClearlyWorse()) {
      Paragraph warning =
          new Paragraph(
              "Warning: the tuned model is clearly worse than its base at general ability: the"
                  + " 95 % interval of the change lies entirely on the worse side. Tuning may have"
                  + " made it forget; consider fewer steps, a lower learning rate or a smaller"
                  + " LoRA rank, or mixing general examples into the training data.");
      warning.setId("retention-warning");
      warning.getStyle().set("color", "var(--lumo-error-text-color)").set("font-weight", "600");
      section.add(warning);
    }
    return section;
  }

  private static String number(@Nullable Double value) {
    return value == null ? "—" : String.format(Locale.ROOT, "%.3f", value);
  }

  private static String signed(double value, String format) {
    return String.format(Locale.ROOT, format, value);
  }

  private static String interval(@Nullable Interval interval, double scale, String format) {
    return interval == null
        ? "—"
        : signed(interval.low() * scale, format) + " … " + signed(interval.high() * scale, format);
  }
}
