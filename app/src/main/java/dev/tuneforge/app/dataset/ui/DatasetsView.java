package dev.tuneforge.app.dataset.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.UploadHandler;
import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.DatasetUpload;
import dev.tuneforge.app.dataset.ValidationReport;
import jakarta.annotation.security.RolesAllowed;
import java.nio.file.Files;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Upload datasets (chat, prompt/completion, Alpaca or ShareGPT JSONL), see the team's datasets and preview their rows. */
@Route("datasets")
@PageTitle("Datasets · Tuneforge")
@Menu(order = 1, title = "Datasets")
@RolesAllowed({"TENANT_ADMIN", "MEMBER"})
public class DatasetsView extends VerticalLayout {
  static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  private final DatasetService datasets;
  private final Grid<DatasetSummary> grid = new Grid<>(DatasetSummary.class, false);
  private final TextField name = new TextField("Dataset name");
  private final Select<DatasetFormat> format = new Select<>();
  private final Checkbox dropInvalid = new Checkbox("Drop invalid rows");
  private final Checkbox redact = new Checkbox("Redact personal data");
  private final Div problems = new Div();
  private final Div report = new Div();
  private final Upload upload;

  public DatasetsView(DatasetService datasets) {
    this.datasets = datasets;
    name.setId("dataset-name");
    name.setPlaceholder("e.g. receipts");
    // The upload may start without the field losing focus, so the server must see every keystroke.
    name.setValueChangeMode(com.vaadin.flow.data.value.ValueChangeMode.EAGER);
    name.setHelperText("Uploading under an existing name adds a new version");

    format.setId("dataset-format");
    format.setLabel("Format");
    format.setItems(DatasetFormat.values());
    format.setItemLabelGenerator(f -> f == null ? "Detect" : f.label());
    format.setEmptySelectionAllowed(true);
    format.setEmptySelectionCaption("Detect");
    dropInvalid.setId("drop-invalid");
    dropInvalid.setTooltipText("Store the valid rows and list the others, instead of rejecting the file");
    redact.setId("redact-personal-data");
    redact.setTooltipText("Replace emails, phone numbers, card numbers and IBANs with [EMAIL], [PHONE], [CARD], [IBAN] "
        + "in the training file; the original is kept as uploaded");

    upload = new Upload(UploadHandler.toTempFile((metadata, file) -> {
      try {
        store(metadata.fileName(), file.toPath());
      } finally {
        Files.deleteIfExists(file.toPath());
      }
    }));
    upload.setId("dataset-upload");
    upload.setAcceptedFileTypes(".jsonl", ".ndjson", "application/jsonl", "application/x-ndjson");
    upload.setMaxFiles(1);
    upload.setDropLabel(new com.vaadin.flow.component.html.Span("Drop a JSONL file here"));

    problems.setId("upload-problems");
    problems.setVisible(false);
    report.setId("upload-report");
    report.setVisible(false);

    grid.setId("datasets-grid");
    grid.addColumn(DatasetSummary::name).setHeader("Name").setAutoWidth(true);
    grid.addColumn(s -> "v" + s.version()).setHeader("Version").setAutoWidth(true);
    grid.addColumn(DatasetSummary::rows).setHeader("Rows").setAutoWidth(true);
    grid.addColumn(s -> String.format("%.1f KB", s.sizeBytes() / 1024.0)).setHeader("Size");
    grid.addColumn(DatasetSummary::fileName).setHeader("File");
    grid.addColumn(s -> WHEN.format(s.createdAt())).setHeader("Uploaded");
    grid.addItemClickListener(e -> new DatasetPreviewDialog(datasets, e.getItem()).open());

    add(
        new H2("Datasets"),
        new Paragraph(
            "Upload JSONL in OpenAI chat ({\"messages\": [...]}), prompt/completion, Alpaca or ShareGPT "
                + "layout; it is stored as OpenAI chat JSONL, with the original kept beside it. "
                + "Every line is checked before anything is stored. Limit: "
                + datasets.maxUploadBytes() / 1_048_576 + " MB."),
        new HorizontalLayout(name, format, dropInvalid, redact, upload),
        problems,
        report,
        grid);
    setSizeFull();
    refresh();
  }

  /** Runs on the upload's request thread, without the UI lock: UI changes go through access(). */
  private void store(String fileName, java.nio.file.Path file) {
    UI ui = getUI().orElseThrow();
    String chosen = name.getValue().isBlank() ? fileName.replaceFirst("\\.[^.]*$", "") : name.getValue();
    try {
      DatasetUpload stored = datasets.upload(
          chosen, fileName, file, format.getValue(), dropInvalid.getValue(), redact.getValue());
      DatasetSummary saved = stored.dataset();
      ui.access(() -> {
        upload.clearFileList();
        problems.setVisible(false);
        showDropped(stored);
        Notification.show("Stored " + saved.label(), 4000, Notification.Position.BOTTOM_START)
            .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
        refresh();
      });
    } catch (DatasetRejected rejected) {
      ui.access(() -> {
        upload.clearFileList();
        report.setVisible(false);
        showProblems(rejected);
      });
    }
  }

  private void showProblems(DatasetRejected rejected) {
    problems.removeAll();
    problems.add(
        new Paragraph("Nothing was stored. " + rejected.getMessage() + ":"),
        new Pre(rejected.report().summary()));
    problems.getStyle().set("color", "var(--lumo-error-text-color)");
    problems.setVisible(true);
  }

  private void showDropped(DatasetUpload stored) {
    ValidationReport read = stored.report();
    report.removeAll();
    report.setVisible(true);
    if (read.droppedRows() > 0) {
      report.add(new Paragraph("Stored as " + read.format().label() + "; these rows were left out:"), new Pre(read.summary()));
    }
    report.add(new QualityReportView(stored.quality()));
  }

  private void refresh() {
    grid.setItems(datasets.list());
  }
}
