package dev.tuneforge.app.teacher.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.base.ui.Polling;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.teacher.OutputRow;
import dev.tuneforge.app.teacher.Rejection;
import dev.tuneforge.app.teacher.RunProgress;
import dev.tuneforge.app.teacher.StageProgress;
import dev.tuneforge.app.teacher.TeacherItem;
import dev.tuneforge.app.teacher.TeacherRun;
import dev.tuneforge.app.teacher.TeacherService;
import jakarta.annotation.security.RolesAllowed;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One run: each stage's counts and the progress bar (polled while the run is active), cancel and
 * resume, the judge's rejections with reasons, failed items, the rows with their provenance, and
 * the resulting dataset. Unknown ids and other tenants' runs look alike.
 */
@Route("datasets/teacher/:runId")
@PageTitle("Teacher run · Tuneforge")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class TeacherRunView extends VerticalLayout implements BeforeEnterObserver {
  static final String RUN_ID = "runId";
  private static final int POLL_MILLIS = 1500;

  /** Rows shown per list; the dataset holds them all. */
  private static final int SHOWN = 200;

  private final TeacherService teacher;
  private final DatasetService datasets;
  private final H2 title = new H2();
  private final Span status = new Span();
  private final Div error = new Div();
  private final ProgressBar progress = new ProgressBar(0, 1);
  private final Span progressLabel = new Span();
  private final Button cancel = new Button("Cancel");
  private final Button resume = new Button("Resume");
  private final Anchor dataset = new Anchor();
  private final Anchor pairsDataset = new Anchor();
  private final Div pairs = new Div();
  private final Grid<StageProgress> stages = new Grid<>(StageProgress.class, false);
  private final Grid<Rejection> rejections = new Grid<>(Rejection.class, false);
  private final Grid<TeacherItem> failures = new Grid<>(TeacherItem.class, false);
  private final Grid<OutputRow> rows = new Grid<>(OutputRow.class, false);
  private @Nullable UUID runId;
  private boolean wasActive;

  public TeacherRunView(TeacherService teacher, DatasetService datasets) {
    this.teacher = teacher;
    this.datasets = datasets;
    // One more refresh after the run stops, so the page shows how it ended.
    Polling.whileAttached(
        this,
        POLL_MILLIS,
        () -> {
          if (wasActive
              || runId != null
                  && teacher.find(runId).map(run -> run.getStatus().active()).orElse(false)) {
            refresh();
          }
        });
    title.setId("run-title");
    status.setId("run-status");
    error.setId("run-error");
    error.getStyle().set("color", "var(--lumo-error-text-color)");
    progress.setId("run-progress");
    progressLabel.setId("run-progress-label");
    cancel.setId("cancel-run");
    cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
    cancel.addClickListener(e -> act(() -> teacher.cancel(requireRun())));
    resume.setId("resume-run");
    resume.addClickListener(e -> act(() -> teacher.resume(requireRun())));
    dataset.setId("run-dataset");
    pairsDataset.setId("run-pairs-dataset");
    pairs.setId("run-pairs");

    stages.setId("run-stages");
    stages.addColumn(s -> s.stage().label()).setHeader("Stage").setAutoWidth(true);
    stages.addColumn(s -> s.stage().unit()).setHeader("Work").setAutoWidth(true);
    stages.addColumn(StageProgress::done).setHeader("Done").setAutoWidth(true);
    stages.addColumn(StageProgress::failed).setHeader("Failed").setAutoWidth(true);
    stages.addColumn(StageProgress::rejected).setHeader("Rejected").setAutoWidth(true);
    stages.addColumn(StageProgress::pending).setHeader("Pending").setAutoWidth(true);
    stages.addColumn(StageProgress::expected).setHeader("Expected").setAutoWidth(true);
    stages.setAllRowsVisible(true);

    rejections.setId("run-rejections");
    rejections
        .addColumn(Rejection::reason)
        .setHeader("Judge's reason")
        .setFlexGrow(2)
        .setTooltipGenerator(Rejection::reason);
    rejections
        .addColumn(r -> r.category() + " / " + r.subtopic())
        .setHeader("Category / subtopic")
        .setAutoWidth(true);
    rejections.addColumn(r -> excerpt(r.document())).setHeader("Document").setFlexGrow(2);
    rejections
        .addColumn(Rejection::extraction)
        .setHeader("Extraction")
        .setFlexGrow(2)
        .setTooltipGenerator(Rejection::extraction);
    rejections.setAllRowsVisible(true);

    failures.setId("run-failures");
    failures.addColumn(i -> i.getStage().label()).setHeader("Stage").setAutoWidth(true);
    failures
        .addColumn(
            i ->
                i.getCategory() == null
                    ? ""
                    : i.getCategory() + (i.getSubtopic() == null ? "" : " / " + i.getSubtopic()))
        .setHeader("Category / subtopic")
        .setAutoWidth(true);
    failures
        .addColumn(TeacherItem::getReason)
        .setHeader("Reason")
        .setFlexGrow(3)
        .setTooltipGenerator(TeacherItem::getReason);
    failures.addColumn(TeacherItem::getAttempts).setHeader("Attempts").setAutoWidth(true);
    failures.setAllRowsVisible(true);

    rows.setId("run-rows");
    rows.addColumn(r -> r.category() + " / " + r.subtopic())
        .setHeader("Category / subtopic")
        .setAutoWidth(true);
    rows.addColumn(r -> excerpt(r.document())).setHeader("Document").setFlexGrow(2);
    rows.addColumn(OutputRow::extraction).setHeader("Extraction").setFlexGrow(2);
    rows.addColumn(OutputRow::provenance)
        .setHeader("Provenance")
        .setFlexGrow(2)
        .setTooltipGenerator(OutputRow::provenance);
    rows.setHeight("360px");

    progress.setWidth("320px");
    HorizontalLayout bar =
        new HorizontalLayout(
            new Span("Status:"),
            status,
            progress,
            progressLabel,
            cancel,
            resume,
            dataset,
            pairsDataset);
    bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    add(
        title,
        bar,
        error,
        pairs,
        new H3("Stages"),
        stages,
        new H3("Rejected by the judge"),
        rejections,
        new H3("Failed items"),
        failures,
        new H3("Rows"),
        rows);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    runId = event.getRouteParameters().get(RUN_ID).flatMap(TeacherRunView::parse).orElse(null);
    if (runId == null || teacher.find(runId).isEmpty()) {
      event.rerouteToError(NotFoundException.class, "No such run");
      return;
    }
    refresh();
  }

  private void act(Runnable action) {
    try {
      action.run();
      error.setText("");
    } catch (IllegalArgumentException e) {
      error.setText(e.getMessage());
    }
    refresh();
  }

  private void refresh() {
    TeacherRun run = runId == null ? null : teacher.find(runId).orElse(null);
    if (run == null) {
      return;
    }
    wasActive = run.getStatus().active();
    RunProgress current = teacher.progress(run.getId());
    title.setText(run.getName() + " · " + run.getTeacherModel());
    status.setText(
        run.getStatus().name().toLowerCase(Locale.ROOT)
            + (run.isCancelRequested() ? " (cancelling)" : ""));
    error.setText(run.getError() == null ? "" : run.getError());
    progress.setValue(current.fraction());
    progressLabel.setText(String.format(Locale.ROOT, "%.0f%%", current.fraction() * 100));
    cancel.setVisible(run.getStatus().active() && !run.isCancelRequested());
    resume.setVisible(!run.getStatus().active() && run.getDatasetVersionId() == null);
    Optional<String> label =
        Optional.ofNullable(run.getDatasetVersionId())
            .flatMap(datasets::findVersion)
            .map(v -> "Dataset: " + v.label());
    dataset.setVisible(label.isPresent());
    dataset.setText(label.orElse(""));
    dataset.setHref("datasets");
    Optional<String> pairsLabel =
        Optional.ofNullable(run.getPreferenceVersionId())
            .flatMap(datasets::findVersion)
            .map(v -> "Preference pairs: " + v.label());
    pairsDataset.setVisible(pairsLabel.isPresent());
    pairsDataset.setText(pairsLabel.orElse(""));
    pairsDataset.setHref("datasets");
    Optional<String> pairCounts =
        teacher.preferencePairs(run.getId()).map(p -> "Preference pairs so far: " + p.summary());
    pairs.setVisible(pairCounts.isPresent());
    pairs.setText(pairCounts.orElse(""));
    stages.setItems(current.stages());
    rejections.setItems(teacher.rejections(run.getId(), SHOWN));
    failures.setItems(teacher.failures(run.getId()).stream().limit(SHOWN).toList());
    rows.setItems(teacher.rows(run.getId(), SHOWN));
  }

  private UUID requireRun() {
    if (runId == null) {
      throw new IllegalArgumentException("No such run");
    }
    return runId;
  }

  private static String excerpt(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
  }

  private static Optional<UUID> parse(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
