package dev.tuneforge.app.dataset.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import dev.tuneforge.app.dataset.DatasetFormat;
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.DatasetUpload;
import dev.tuneforge.app.dataset.DatasetUploadOptions;
import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import dev.tuneforge.app.dataset.staging.StagedUploads;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The upload part of the datasets page: name, format and options, the validation split, a CSV
 * file's column mapping (the file is held until it is stored), and what came of the upload.
 */
class DatasetUploadForm extends VerticalLayout {
  private final DatasetService datasets;
  private final Runnable onStored;
  private final TextField name = new TextField("Dataset name");
  private final Select<DatasetFormat> format = new Select<>();
  private final Checkbox dropInvalid = new Checkbox("Drop invalid rows");
  private final Checkbox redact = new Checkbox("Redact personal data");
  private final Div problems = new Div();
  private final Div report = new Div();
  private final DirectUpload upload;
  private final SplitField split = new SplitField();
  private final CsvMappingForm mapping = new CsvMappingForm();
  private final Div pendingPanel = new Div();
  private final Paragraph pendingText = new Paragraph();
  private @Nullable PendingFile pending;
  private boolean pendingCsv;

  DatasetUploadForm(DatasetService datasets, StagedUploads uploads, Runnable onStored) {
    this.datasets = datasets;
    this.onStored = onStored;
    setPadding(false);
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
    dropInvalid.setTooltipText(
        "Store the valid rows and list the others, instead of rejecting the file");
    redact.setId("redact-personal-data");
    redact.setTooltipText(
        "Replace emails, phone numbers, card numbers and IBANs with [EMAIL], [PHONE], [CARD], [IBAN] "
            + "in the training file; the original is kept as uploaded");

    upload =
        new DirectUpload(
            uploads,
            ".jsonl,.ndjson,.csv,application/jsonl,application/x-ndjson,text/csv",
            "or drop a JSONL or CSV file here",
            this::uploadStarted,
            (ui, staged) -> {
              try {
                received(ui, staged.fileName(), staged.file());
              } finally {
                new PendingFile(staged.fileName(), staged.file()).delete();
              }
            },
            this::refused);
    upload.setId("dataset-upload");

    pendingPanel.setId("pending-upload");
    pendingPanel.setVisible(false);
    Button store = new Button("Store dataset", e -> storePending());
    store.setId("store-dataset");
    store.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    Button cancel = new Button("Cancel", e -> forgetPending());
    cancel.setId("cancel-upload");
    pendingPanel.add(pendingText, mapping, new HorizontalLayout(store, cancel));
    addDetachListener(e -> forgetPending());

    problems.setId("upload-problems");
    problems.setVisible(false);
    report.setId("upload-report");
    report.setVisible(false);

    add(
        new HorizontalLayout(name, format, dropInvalid, redact),
        split,
        upload,
        pendingPanel,
        problems,
        report);
  }

  /**
   * Runs on the upload's own thread, without the UI lock: UI changes go through access(). A CSV
   * file, or one whose validation file is separate, is held until the user stores it.
   */
  private void received(UI ui, String fileName, Path file) {
    boolean csv =
        format.getValue() == DatasetFormat.CSV
            || (format.getValue() == null && fileName.toLowerCase(Locale.ROOT).endsWith(".csv"));
    if (csv || split.isSeparateFile()) {
      PendingFile kept = PendingFile.keep(fileName, file);
      try {
        List<String> header = csv ? datasets.csvColumns(kept.path()) : List.of();
        ui.access(() -> hold(kept, csv, header));
      } catch (DatasetRejected rejected) {
        kept.delete();
        ui.access(() -> rejected(rejected));
      }
      return;
    }
    try {
      DatasetUpload stored = upload(fileName, file, options(false));
      ui.access(() -> stored(stored));
    } catch (DatasetRejected rejected) {
      ui.access(() -> rejected(rejected));
    } catch (IllegalArgumentException wrong) {
      ui.access(() -> refused(wrong.getMessage(), ""));
    } catch (RuntimeException failed) {
      ui.access(() -> refused("The file could not be stored: " + failed.getMessage(), ""));
    }
  }

  private void uploadStarted() {
    forgetPending();
    problems.setVisible(false);
    report.setVisible(false);
  }

  private DatasetUpload upload(String fileName, Path file, DatasetUploadOptions options) {
    String chosen =
        name.getValue().isBlank() ? fileName.replaceFirst("\\.[^.]*$", "") : name.getValue();
    return datasets.upload(chosen, fileName, file, options);
  }

  /** The options as chosen; for a CSV file its mapping, and a split column when one is chosen. */
  private DatasetUploadOptions options(boolean csv) {
    DatasetUploadOptions options =
        new DatasetUploadOptions(
            csv ? DatasetFormat.CSV : format.getValue(),
            dropInvalid.getValue(),
            redact.getValue(),
            csv ? mapping.value() : null,
            split.value());
    String splitColumn = csv ? mapping.splitColumn() : null;
    return splitColumn == null ? options : options.withSplit(new DatasetSplit.ByField(splitColumn));
  }

  private void hold(PendingFile file, boolean csv, List<String> header) {
    forgetPending();
    pending = file;
    pendingCsv = csv;
    problems.setVisible(false);
    report.setVisible(false);
    mapping.setVisible(csv);
    if (csv) {
      mapping.show(header);
    }
    pendingText.setText(
        file.fileName()
            + (csv
                ? ": choose which columns make each conversation, then store it."
                : ": upload the validation file, then store the dataset."));
    pendingPanel.setVisible(true);
  }

  private void storePending() {
    PendingFile file = pending;
    if (file == null) {
      return;
    }
    try {
      DatasetUpload stored = upload(file.fileName(), file.path(), options(pendingCsv));
      forgetPending();
      split.stored();
      stored(stored);
    } catch (DatasetRejected rejected) {
      rejected(rejected);
    } catch (IllegalArgumentException wrong) {
      refused(wrong.getMessage(), "");
    }
  }

  private void forgetPending() {
    if (pending != null) {
      pending.delete();
      pending = null;
    }
    pendingPanel.setVisible(false);
  }

  /**
   * Shows what was stored (an upload, or a version derived in the preview) and refreshes the list.
   */
  void stored(DatasetUpload stored) {
    DatasetSummary saved = stored.dataset();
    problems.setVisible(false);
    showDropped(stored);
    Notification.show("Stored " + saved.label(), 4000, Notification.Position.BOTTOM_START)
        .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    onStored.run();
  }

  private void rejected(DatasetRejected rejected) {
    refused(rejected.getMessage(), rejected.report().summary());
  }

  private void refused(String reason, String details) {
    report.setVisible(false);
    problems.removeAll();
    problems.add(new Paragraph("Nothing was stored. " + reason + (details.isEmpty() ? "" : ":")));
    if (!details.isEmpty()) {
      problems.add(new Pre(details));
    }
    problems.getStyle().set("color", "var(--lumo-error-text-color)");
    problems.setVisible(true);
  }

  private void showDropped(DatasetUpload stored) {
    ValidationReport read = stored.report();
    report.removeAll();
    report.setVisible(true);
    DatasetSummary saved = stored.dataset();
    Paragraph counts =
        new Paragraph(
            saved.hasValidation()
                ? "Stored "
                    + saved.rows()
                    + " training rows and "
                    + saved.validationRows()
                    + " validation rows (split: "
                    + saved.split()
                    + ")."
                : "Stored "
                    + saved.rows()
                    + " training rows; no validation rows"
                    + (saved.split().equals("none") ? "." : " (split: " + saved.split() + ")."));
    counts.setId("upload-split");
    report.add(counts);
    if (read.droppedRows() > 0) {
      report.add(
          new Paragraph("Stored as " + read.format().label() + "; these rows were left out:"),
          new Pre(read.summary()));
    }
    report.add(new QualityReportView(stored.quality()));
  }
}
