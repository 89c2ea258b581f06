package dev.tuneforge.app.evaluation.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.evaluation.EvaluationScores;
import dev.tuneforge.app.evaluation.EvaluationService;
import dev.tuneforge.app.evaluation.ExampleRow;
import dev.tuneforge.app.evaluation.FieldMetrics;
import dev.tuneforge.app.evaluation.Headline;
import dev.tuneforge.app.evaluation.JudgeService;
import dev.tuneforge.app.evaluation.KeyFindings;
import dev.tuneforge.app.evaluation.LatencyFigures;
import dev.tuneforge.app.evaluation.MetricConfidence;
import dev.tuneforge.app.evaluation.RetentionScores;
import dev.tuneforge.app.evaluation.StoredEvaluation;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.fieldmetrics.FieldComparison;
import dev.tuneforge.protocol.PromptMessage;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Is the fine-tune better than its base model, and where? Headline metrics side by side, every
 * field's scores, and the examples themselves with per-field marks and filters. The table is
 * computed from the generations in storage; the headline figures are the stored ones.
 */
@Route("finetunes/:jobId/evaluation")
@PageTitle("Evaluation · Tuneforge")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class EvaluationView extends VerticalLayout implements BeforeEnterObserver {
  private final EvaluationService evaluations;
  private final FineTuneService fineTunes;
  private final JudgeService judge;
  private List<ExampleRow> rows = List.of();
  private final Grid<ExampleRow> examples = new Grid<>();
  private final Select<ExampleRow.Filter> filter = new Select<>();
  private final Span shown = new Span();

  public EvaluationView(
      EvaluationService evaluations, FineTuneService fineTunes, JudgeService judge) {
    this.evaluations = evaluations;
    this.fineTunes = fineTunes;
    this.judge = judge;
    setWidthFull();
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    Optional<UUID> jobId = event.getRouteParameters().get("jobId").flatMap(EvaluationView::parse);
    Optional<FineTuneJob> job = jobId.flatMap(fineTunes::find);
    if (job.isEmpty()) {
      event.rerouteToError(NotFoundException.class, "No such fine-tune");
      return;
    }
    removeAll();
    render(job.get(), evaluations.find(job.get().getId()));
  }

  private void render(FineTuneJob job, Optional<StoredEvaluation> found) {
    Anchor back = new Anchor("finetunes/" + job.getId(), "← " + job.getName());
    add(back, new H2("Evaluation: base vs tuned"));
    Paragraph status = new Paragraph();
    status.setId("evaluation-status");
    add(status);
    if (found.isEmpty()) {
      status.setText(
          job.getEvaluationExamples() == 0
              ? "This fine-tune was launched without an evaluation."
              : "No evaluation yet: it runs on the training node right after training, on the"
                  + " validation split or the held-out dataset chosen at launch.");
      return;
    }
    StoredEvaluation evaluation = found.get();
    if (evaluation.base() == null || evaluation.tuned() == null) {
      status.setText("The evaluation failed: " + evaluation.row().getError());
      return;
    }
    boolean extraction = "extraction".equals(evaluation.row().getKind());
    status.setText(
        String.format(
            Locale.ROOT,
            "%d examples; the base model and the tuned model answered the same prompts, %s"
                + " decoding, up to %d new tokens; %.0f s and %d generated tokens on the training"
                + " node.%s",
            evaluation.row().getExamples(),
            evaluation.row().getDecoding(),
            evaluation.row().getMaxNewTokens(),
            evaluation.row().getSeconds(),
            evaluation.row().getGeneratedTokens(),
            extraction ? "" : " Expected answers are free text, so fields are not scored."));

    List<dev.tuneforge.protocol.EvaluationExample> generations =
        evaluations.generations(evaluation.row());
    EvaluationScores scores = evaluations.recompute(evaluation.row(), generations);
    rows = ExampleRow.of(generations, scores);
    add(new H3("Headline"), verdict(scores));
    add(
        metrics(
            MetricRow.of(evaluation.base(), evaluation.tuned(), extraction, scores.confidence())));
    add(
        note(
            "evaluation-intervals",
            String.format(
                Locale.ROOT,
                "In brackets: 95 %% confidence intervals from a paired bootstrap, %d resamples of"
                    + " the %d examples (seed %d), both models scored on the same resampled"
                    + " examples. Loss, perplexity and token accuracy have none: the node reports"
                    + " only their means.",
                scores.confidence().resamples(),
                generations.size(),
                scores.confidence().seed())));
    if (extraction) {
      add(new H3("Fields"), fields(evaluation.fields(), scores.normalisationRules()));
      add(
          note(
              "field-conventions",
              "Micro figures count every field of every answer; macro figures are the mean over the"
                  + " fields (each field counts once). — means undefined: precision of a field the"
                  + " model never gave; undefined values are left out of the macro means. Hover a"
                  + " field for how its values are normalised."));
      keyFindings(evaluation);
    }
    LatencyFigures latency = evaluations.latency(evaluation.row());
    if (latency != null) {
      ProductionFigures.latency(latency, evaluations.evaluatedOn(job.getId())).forEach(this::add);
    }
    RetentionScores retention = evaluations.retentionScores(evaluation.row());
    if (retention != null) {
      ProductionFigures.retention(retention).forEach(this::add);
    }
    add(new JudgeSection(judge, job.getId(), extraction));
    add(new H3("Examples"), examplesSection(extraction));
    apply();
  }

  private static Component verdict(EvaluationScores scores) {
    Headline headline =
        scores.kind() == EvaluationScores.Kind.EXTRACTION ? Headline.MICRO_F1 : Headline.ROUGE_L;
    Paragraph verdict =
        new Paragraph(
            scores
                .confidence()
                .of(headline)
                .map(MetricConfidence::sentence)
                .map(s -> s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1) + ".")
                .orElse(""));
    verdict.setId("evaluation-verdict");
    verdict.getStyle().set("font-weight", "600");
    return verdict;
  }

  /**
   * Unexpected and missing keys, apart from the fields; data-tuned holds the tuned answers' count.
   */
  private void keyFindings(StoredEvaluation evaluation) {
    KeyFindings base = evaluation.base() == null ? null : evaluation.base().keys();
    KeyFindings tuned = evaluation.tuned() == null ? null : evaluation.tuned().keys();
    if (base == null || tuned == null) {
      return;
    }
    Paragraph unexpected =
        note(
            "unexpected-keys",
            "Tuned: " + tuned.unexpectedText() + ". Base: " + base.unexpectedText() + ".");
    unexpected.getElement().setAttribute("data-tuned", "" + tuned.answersWithUnexpected());
    Paragraph missing =
        note(
            "missing-keys",
            "Tuned: " + tuned.missingText() + ". Base: " + base.missingText() + ".");
    missing.getElement().setAttribute("data-tuned", "" + tuned.answersWithMissing());
    add(new H3("Keys"), unexpected, missing);
  }

  private static Paragraph note(String id, String text) {
    Paragraph note = new Paragraph(text);
    note.setId(id);
    return note;
  }

  private static Grid<MetricRow> metrics(List<MetricRow> rows) {
    Grid<MetricRow> grid = new Grid<>();
    grid.setId("evaluation-metrics");
    // Figures with their intervals wrap rather than push the last column out of a 1280 px window.
    grid.addColumn(MetricRow::name).setHeader("Metric").setAutoWidth(true).setFlexGrow(0);
    grid.addColumn(MetricRow::baseText).setHeader("Base").setFlexGrow(1);
    grid.addColumn(MetricRow::tunedText).setHeader("Tuned").setFlexGrow(1);
    grid.addComponentColumn(
            row -> {
              Span change = new Span(row.changeText());
              change.getElement().setAttribute("data-verdict", row.verdict());
              change
                  .getStyle()
                  .set(
                      "color",
                      switch (row.verdict()) {
                        case "better" -> "var(--lumo-success-text-color)";
                        case "worse" -> "var(--lumo-error-text-color)";
                        case "unclear" -> "var(--lumo-body-text-color)";
                        default -> "var(--lumo-secondary-text-color)";
                      });
              return change;
            })
        .setHeader("Change")
        .setFlexGrow(1);
    grid.setItems(rows);
    grid.setAllRowsVisible(true);
    grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
    return grid;
  }

  private static Grid<FieldMetrics> fields(List<FieldMetrics> fields, Map<String, String> rules) {
    Grid<FieldMetrics> grid = new Grid<>();
    grid.setId("field-metrics");
    grid.addComponentColumn(
            f -> {
              Span path = new Span(f.path());
              String rule = rules.getOrDefault(f.path(), "");
              path.setTitle(rule);
              path.getElement().setAttribute("data-normalisation", rule);
              path.getStyle().set("text-decoration", "underline dotted");
              return path;
            })
        .setHeader("Field")
        .setAutoWidth(true)
        .setFlexGrow(1);
    grid.addColumn(FieldMetrics::support).setHeader("Expected in").setAutoWidth(true);
    grid.addColumn(f -> pct(f.base().exactMatch()) + " → " + pct(f.tuned().exactMatch()))
        .setHeader("Exact match")
        .setAutoWidth(true);
    grid.addColumn(f -> pct(f.base().normalisedMatch()) + " → " + pct(f.tuned().normalisedMatch()))
        .setHeader("Normalised match")
        .setAutoWidth(true);
    grid.addColumn(f -> pct(f.base().precision()) + " → " + pct(f.tuned().precision()))
        .setHeader("Precision")
        .setAutoWidth(true);
    grid.addColumn(f -> pct(f.base().recall()) + " → " + pct(f.tuned().recall()))
        .setHeader("Recall")
        .setAutoWidth(true);
    grid.addColumn(f -> pct(f.base().f1()) + " → " + pct(f.tuned().f1()))
        .setHeader("F1")
        .setAutoWidth(true);
    grid.addColumn(
            f ->
                f.f1Delta() == null
                    ? "—"
                    : String.format(Locale.ROOT, "%+.1f pts", f.f1Delta() * 100))
        .setHeader("Δ F1")
        .setAutoWidth(true);
    grid.setItems(fields);
    grid.setAllRowsVisible(true);
    grid.addThemeVariants(GridVariant.LUMO_COMPACT);
    return grid;
  }

  private Component examplesSection(boolean extraction) {
    filter.setId("example-filter");
    filter.setLabel("Show");
    filter.setItems(
        extraction
            ? List.of(ExampleRow.Filter.values())
            : List.of(
                ExampleRow.Filter.ALL,
                ExampleRow.Filter.TUNED_WORSE,
                ExampleRow.Filter.TUNED_BETTER,
                ExampleRow.Filter.BOTH_WRONG));
    filter.setItemLabelGenerator(f -> f.label + " (" + rows.stream().filter(f.keeps).count() + ")");
    filter.setValue(ExampleRow.Filter.ALL);
    filter.addValueChangeListener(e -> apply());
    shown.setId("examples-shown");

    examples.setId("examples-grid");
    examples
        .addColumn(r -> r.example().index() + 1)
        .setHeader("#")
        .setAutoWidth(true)
        .setFlexGrow(0);
    examples.addColumn(r -> clip(r.input(), 160)).setHeader("Input").setFlexGrow(2);
    examples.addColumn(r -> clip(r.example().expected(), 160)).setHeader("Expected").setFlexGrow(2);
    examples
        .addComponentColumn(r -> output(r.example().baseOutput(), r.baseMarks(), "base-marks"))
        .setHeader("Base output")
        .setFlexGrow(2);
    examples
        .addComponentColumn(r -> output(r.example().tunedOutput(), r.tunedMarks(), "tuned-marks"))
        .setHeader("Tuned output")
        .setFlexGrow(2);
    examples
        .addColumn(r -> String.format(Locale.ROOT, "%.2f → %.2f", r.baseScore(), r.tunedScore()))
        .setHeader(extraction ? "F1" : "ROUGE-L")
        .setAutoWidth(true)
        .setFlexGrow(0);
    examples.setItemDetailsRenderer(new ComponentRenderer<>(EvaluationView::details));
    examples.setHeight("640px");
    examples.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT, GridVariant.LUMO_ROW_STRIPES);
    VerticalLayout section = new VerticalLayout(new HorizontalLayout(filter, shown), examples);
    section.setPadding(false);
    section.setWidthFull();
    return section;
  }

  private void apply() {
    ExampleRow.Filter chosen =
        filter.getValue() == null ? ExampleRow.Filter.ALL : filter.getValue();
    List<ExampleRow> kept = rows.stream().filter(chosen.keeps).toList();
    examples.setItems(kept);
    shown.setText(kept.size() + " of " + rows.size() + " examples");
    shown.getElement().setAttribute("data-count", Integer.toString(kept.size()));
  }

  private static Component output(String text, List<FieldComparison.Outcome> marks, String css) {
    Div cell = new Div(new Span(clip(text, 200)));
    if (!marks.isEmpty()) {
      cell.add(Marks.of(marks, css));
    }
    return cell;
  }

  private static Component details(ExampleRow row) {
    Div details = new Div();
    details.addClassName("example-details");
    for (PromptMessage message : row.example().prompt()) {
      details.add(new Paragraph(message.role() + ":"), new Pre(message.content()));
    }
    details.add(new Paragraph("expected:"), new Pre(row.example().expected()));
    details.add(
        new Paragraph(
            "base ("
                + row.example().baseOutputTokens()
                + " tokens, stopped at "
                + row.example().baseStop()
                + "):"),
        new Pre(row.example().baseOutput()));
    details.add(
        new Paragraph(
            "tuned ("
                + row.example().tunedOutputTokens()
                + " tokens, stopped at "
                + row.example().tunedStop()
                + "):"),
        new Pre(row.example().tunedOutput()));
    row.tunedMarks().forEach(m -> details.add(new Paragraph("tuned · " + Marks.detail(m))));
    return details;
  }

  /** A rate, or — where it is undefined. */
  private static String pct(@Nullable Double value) {
    return value == null ? "—" : String.format(Locale.ROOT, "%.0f%%", value * 100);
  }

  private static String clip(String text, int length) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= length ? flat : flat.substring(0, length - 1) + "…";
  }

  private static Optional<UUID> parse(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
