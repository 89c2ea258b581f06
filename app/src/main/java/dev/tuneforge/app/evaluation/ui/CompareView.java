package dev.tuneforge.app.evaluation.ui;

import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.base.ui.LineChart;
import dev.tuneforge.app.evaluation.EvaluationService;
import dev.tuneforge.app.evaluation.FieldMetrics;
import dev.tuneforge.app.evaluation.ModelMetrics;
import dev.tuneforge.app.evaluation.StoredEvaluation;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.protocol.JobEvent;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Two or more fine-tunes side by side: settings, evaluation metrics (tuned, with the change against
 * each one's base) and per-field F1 as a table, and their loss curves on one chart. {@code
 * ?ids=a,b} preselects fine-tunes; other tenants' ids are ignored like unknown ones.
 */
@Route("compare")
@PageTitle("Compare fine-tunes · Tuneforge")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class CompareView extends VerticalLayout implements BeforeEnterObserver {
  /** One row of the table: a label and one cell per compared fine-tune. */
  record Row(String name, List<String> cells) {}

  private final FineTuneService fineTunes;
  private final EvaluationService evaluations;
  private final MultiSelectComboBox<FineTuneJob> picker =
      new MultiSelectComboBox<>("Fine-tunes to compare");
  private final VerticalLayout result = new VerticalLayout();
  private final LineChart chart =
      new LineChart(
          "compare-chart", "Loss by step of each fine-tune", "Pick two or more fine-tunes");

  public CompareView(FineTuneService fineTunes, EvaluationService evaluations) {
    this.fineTunes = fineTunes;
    this.evaluations = evaluations;
    picker.setId("compare-jobs");
    picker.setWidthFull();
    picker.setItemLabelGenerator(CompareView::label);
    picker.setItems(
        fineTunes.list().stream().filter(j -> j.getStatus() == JobStatus.SUCCEEDED).toList());
    picker.addValueChangeListener(
        e -> {
          show(List.copyOf(e.getValue()));
          if (e.isFromClient()) {
            String ids =
                String.join(",", e.getValue().stream().map(j -> j.getId().toString()).toList());
            getUI()
                .ifPresent(
                    ui -> ui.getPage().getHistory().replaceState(null, "compare?ids=" + ids));
          }
        });
    result.setPadding(false);
    result.setWidthFull();
    add(new H2("Compare fine-tunes"), picker, result, new H3("Loss"), chart);
    setWidthFull();
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    QueryParameters query = event.getLocation().getQueryParameters();
    Set<UUID> wanted = new LinkedHashSet<>();
    for (String value : query.getParameters().getOrDefault("ids", List.of())) {
      for (String id : value.split(",")) {
        parse(id.strip()).ifPresent(wanted::add);
      }
    }
    List<FineTuneJob> chosen =
        wanted.stream().map(fineTunes::find).flatMap(Optional::stream).toList();
    picker.setValue(new LinkedHashSet<>(chosen));
    show(chosen);
  }

  private void show(List<FineTuneJob> jobs) {
    result.removeAll();
    if (jobs.size() < 2) {
      result.add(new Paragraph("Pick two or more succeeded fine-tunes."));
    }
    if (jobs.isEmpty()) {
      chart.show(List.of());
      return;
    }
    Map<FineTuneJob, @Nullable StoredEvaluation> found = new LinkedHashMap<>();
    jobs.forEach(
        job ->
            found.put(
                job, evaluations.find(job.getId()).filter(e -> e.tuned() != null).orElse(null)));
    Grid<Row> grid = new Grid<>();
    grid.setId("compare-metrics");
    grid.addColumn(Row::name).setHeader("").setAutoWidth(true).setFlexGrow(1);
    for (int i = 0; i < jobs.size(); i++) {
      int column = i;
      grid.addColumn(row -> row.cells().get(column))
          .setHeader(label(jobs.get(i)))
          .setAutoWidth(true);
    }
    grid.setItems(rows(found));
    grid.setAllRowsVisible(true);
    grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
    result.add(grid);

    List<LineChart.Series> series = new ArrayList<>();
    List<LineChart.Series> validation = new ArrayList<>();
    for (FineTuneJob job : jobs) {
      List<JobEventRecord> events = fineTunes.events(job.getId());
      series.add(loss(label(job), events, JobEvent.Type.METRIC, false));
      validation.add(loss(label(job) + " (validation)", events, JobEvent.Type.VALIDATION, true));
    }
    series.addAll(validation.stream().filter(s -> !s.points().isEmpty()).toList());
    chart.show(series);
  }

  private static List<Row> rows(Map<FineTuneJob, @Nullable StoredEvaluation> found) {
    List<FineTuneJob> jobs = List.copyOf(found.keySet());
    List<Row> rows = new ArrayList<>();
    rows.add(
        row(
            "Settings",
            jobs,
            job ->
                String.format(
                    Locale.ROOT,
                    "r=%d α=%s · lr %s · %d epochs · batch %d",
                    job.getLoraR(),
                    job.getLoraAlpha(),
                    job.getLearningRate(),
                    job.getEpochs(),
                    job.getBatchSize())));
    rows.add(
        row(
            "Steps · trained tokens",
            jobs,
            job -> job.getSteps() + " · " + job.getTrainedTokens()));
    rows.add(metric("Field F1 (micro)", found, ModelMetrics::microF1, true));
    rows.add(metric("Whole-object match", found, ModelMetrics::objectMatch, true));
    rows.add(metric("JSON validity", found, ModelMetrics::jsonValidity, true));
    rows.add(metric("ROUGE-L", found, ModelMetrics::rougeL, true));
    rows.add(metric("Loss on expected answers", found, ModelMetrics::loss, false));
    rows.add(metric("Token accuracy", found, ModelMetrics::tokenAccuracy, true));
    Set<String> paths = new LinkedHashSet<>();
    found
        .values()
        .forEach(
            e -> {
              if (e != null) {
                e.fields().forEach(f -> paths.add(f.path()));
              }
            });
    for (String path : paths) {
      rows.add(
          new Row(
              "F1 · " + path,
              jobs.stream()
                  .map(
                      job -> {
                        StoredEvaluation e = found.get(job);
                        Optional<FieldMetrics> field =
                            e == null
                                ? Optional.empty()
                                : e.fields().stream()
                                    .filter(f -> f.path().equals(path))
                                    .findFirst();
                        return field
                            .map(
                                f ->
                                    f.base().f1() == null || f.tuned().f1() == null
                                        ? "—"
                                        : change(f.base().f1(), f.tuned().f1(), true))
                            .orElse("—");
                      })
                  .toList()));
    }
    return rows;
  }

  private static Row row(String name, List<FineTuneJob> jobs, Function<FineTuneJob, String> cell) {
    return new Row(name, jobs.stream().map(cell).toList());
  }

  private static Row metric(
      String name,
      Map<FineTuneJob, @Nullable StoredEvaluation> found,
      Function<ModelMetrics, @Nullable Double> get,
      boolean percent) {
    return new Row(
        name,
        found.values().stream()
            .map(
                e -> {
                  if (e == null || e.base() == null || e.tuned() == null) {
                    return "no evaluation";
                  }
                  Double base = get.apply(e.base());
                  Double tuned = get.apply(e.tuned());
                  return base == null || tuned == null ? "n/a" : change(base, tuned, percent);
                })
            .toList());
  }

  /** The tuned value and its change from the base model. */
  private static String change(double base, double tuned, boolean percent) {
    return percent
        ? String.format(
            Locale.ROOT, "%.1f%% (%+.1f pts vs base)", tuned * 100, (tuned - base) * 100)
        : String.format(Locale.ROOT, "%.3f (%+.3f vs base)", tuned, tuned - base);
  }

  /** Jobs of the same model and dataset share a name; the id's start tells them apart. */
  private static String label(FineTuneJob job) {
    return job.getName() + " · " + job.getId().toString().substring(0, 8);
  }

  private static LineChart.Series loss(
      String name, List<JobEventRecord> events, JobEvent.Type type, boolean dashed) {
    return LineChart.Series.of(
        name,
        JobEventRecord.curve(events, type),
        JobEventRecord.LossPoint::step,
        JobEventRecord.LossPoint::loss,
        dashed);
  }

  private static Optional<UUID> parse(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
