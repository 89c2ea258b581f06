package dev.tuneforge.app.dataset.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.staging.StagedUploads;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Upload datasets (chat, prompt/completion, Alpaca or ShareGPT JSONL, or mapped CSV), see the
 * team's datasets and preview their rows.
 */
@Route("datasets")
@PageTitle("Datasets · Tuneforge")
@Menu(order = 1, title = "Datasets")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class DatasetsView extends VerticalLayout {
  static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  private final DatasetService datasets;
  private final Grid<DatasetSummary> grid = new Grid<>(DatasetSummary.class, false);
  private final DatasetUploadForm form;

  public DatasetsView(
      DatasetService datasets,
      StagedUploads uploads,
      TokenLengthService tokens,
      CatalogService catalog) {
    this.datasets = datasets;
    this.form = new DatasetUploadForm(datasets, uploads, this::refresh);
    grid.setId("datasets-grid");
    grid.addColumn(DatasetSummary::name).setHeader("Name").setAutoWidth(true);
    grid.addColumn(s -> "v" + s.version()).setHeader("Version").setAutoWidth(true);
    grid.addColumn(DatasetSummary::rows).setHeader("Training rows").setAutoWidth(true);
    grid.addColumn(s -> s.hasValidation() ? String.valueOf(s.validationRows()) : "—")
        .setHeader("Validation rows")
        .setAutoWidth(true);
    grid.addColumn(DatasetSummary::split).setHeader("Split").setAutoWidth(true);
    grid.addColumn(s -> String.format("%.1f KB", s.sizeBytes() / 1024.0)).setHeader("Size");
    grid.addColumn(DatasetSummary::fileName).setHeader("File");
    grid.addColumn(s -> WHEN.format(s.createdAt())).setHeader("Uploaded");
    grid.addItemClickListener(
        e ->
            new DatasetPreviewDialog(datasets, tokens, catalog.list(), e.getItem(), form::stored)
                .open());

    add(
        new H2("Datasets"),
        new Paragraph(
            "Upload JSONL in OpenAI chat ({\"messages\": [...]}), prompt/completion, Alpaca or ShareGPT "
                + "layout, or CSV whose columns you map to turns; it is stored as OpenAI chat JSONL, with the "
                + "original kept beside it, and split into training and validation rows as you choose. "
                + "Every line is checked before anything is stored. Limit: "
                + datasets.maxUploadBytes() / 1_048_576
                + " MB."),
        form,
        grid);
    setSizeFull();
    refresh();
  }

  private void refresh() {
    grid.setItems(datasets.list());
  }
}
