package dev.tuneforge.app.synthetic.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.synthetic.GenerationJob;
import dev.tuneforge.app.synthetic.GenerationStatus;
import dev.tuneforge.app.synthetic.SyntheticDataService;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The team's generation jobs, newest first: status, a progress bar, the resulting dataset or the
 * error, and a cancel button while a job is not finished. Ids carry the job's id.
 */
final class GenerationJobsGrid extends Grid<GenerationJob> {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private final SyntheticDataService synthetic;
  private final DatasetService datasets;

  GenerationJobsGrid(SyntheticDataService synthetic, DatasetService datasets) {
    this.synthetic = synthetic;
    this.datasets = datasets;
    setId("generation-jobs");
    addColumn(GenerationJob::getDatasetName).setHeader("Dataset").setAutoWidth(true);
    addColumn(job -> job.getDocumentKind().label()).setHeader("Kind").setAutoWidth(true);
    addColumn(job -> "seed " + job.getSeed() + ", noise " + job.getNoise())
        .setHeader("Spec")
        .setAutoWidth(true);
    addComponentColumn(GenerationJobsGrid::status).setHeader("Status").setAutoWidth(true);
    addComponentColumn(GenerationJobsGrid::progress)
        .setHeader("Progress")
        .setWidth("16em")
        .setFlexGrow(0);
    addComponentColumn(this::outcome).setHeader("Result").setFlexGrow(1);
    addColumn(job -> WHEN.format(job.getCreatedAt())).setHeader("Started").setAutoWidth(true);
    addComponentColumn(this::cancel).setAutoWidth(true).setFlexGrow(0);
    setAllRowsVisible(true);
  }

  void refresh() {
    setItems(synthetic.list());
  }

  private static Span status(GenerationJob job) {
    Span badge = new Span(job.getStatus().wire());
    badge.getElement().getThemeList().add("badge");
    switch (job.getStatus()) {
      case SUCCEEDED -> badge.getElement().getThemeList().add("success");
      case FAILED -> badge.getElement().getThemeList().add("error");
      case CANCELLED -> badge.getElement().getThemeList().add("contrast");
      default -> {}
    }
    badge.setId("generation-status-" + job.getId());
    return badge;
  }

  private static VerticalLayout progress(GenerationJob job) {
    ProgressBar bar = new ProgressBar(0, 1, job.progress());
    bar.setId("generation-progress-" + job.getId());
    bar.setIndeterminate(job.getStatus() == GenerationStatus.RUNNING && job.getRowsDone() == 0);
    Span rows = new Span(job.getRowsDone() + " / " + job.getRowCount() + " rows");
    rows.setId("generation-rows-" + job.getId());
    rows.getStyle().set("font-size", "var(--lumo-font-size-s)");
    VerticalLayout cell = new VerticalLayout(bar, rows);
    cell.setPadding(false);
    cell.setSpacing(false);
    return cell;
  }

  private com.vaadin.flow.component.Component outcome(GenerationJob job) {
    UUID version = job.getDatasetVersionId();
    if (version != null) {
      String label =
          datasets.findVersion(version).map(DatasetSummary::label).orElse(job.getDatasetName());
      Anchor link = new Anchor("datasets", label);
      link.setId("generation-dataset-" + job.getId());
      return link;
    }
    Span error = new Span(job.getError() == null ? "" : job.getError());
    error.setId("generation-error-" + job.getId());
    error.getStyle().set("color", "var(--lumo-error-text-color)").set("white-space", "normal");
    return error;
  }

  private com.vaadin.flow.component.Component cancel(GenerationJob job) {
    Button cancel =
        new Button(
            "Cancel",
            e -> {
              synthetic.cancel(job.getId());
              refresh();
            });
    cancel.setId("cancel-generation-" + job.getId());
    cancel.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
    cancel.setVisible(!job.getStatus().finished() && !job.isCancelRequested());
    return cancel;
  }
}
