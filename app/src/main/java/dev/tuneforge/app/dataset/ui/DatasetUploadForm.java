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
import dev.tuneforge.app.dataset.DatasetInfo;
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.DatasetUpload;
import dev.tuneforge.app.dataset.DatasetUploadOptions;
import dev.tuneforge.app.dataset.ValidationReport;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import dev.tuneforge.app.dataset.staging.StagedUploads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The upload part of the datasets page: name, format and options, the validation split, a CSV or
 * Parquet file's column mapping (the file is held until it is stored), a LLaMA-Factory {@code
 * dataset_info.json} uploaded before the data it describes, and what came of the upload.
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
  private final Div datasetInfoPanel = new Div();
  private final Paragraph datasetInfoText = new Paragraph();
  private @Nullable PendingFile pending;

  /** CSV or Parquet when the held file is read by the column mapping; null otherwise. */
  private @Nullable DatasetFormat pendingColumns;

  /** The text of an uploaded dataset_info.json, applied to the data files uploaded after it. */
  private @Nullable String datasetInfo;

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
            ".jsonl,.ndjson,.json,.csv,.parquet,application/jsonl,application/x-ndjson,"
                + "application/json,text/csv",
            "or drop a JSONL, JSON, CSV or Parquet file (or a dataset_info.json) here",
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

    datasetInfoPanel.setId("dataset-info");
    datasetInfoPanel.setVisible(false);
    Button forgetInfo = new Button("Forget dataset_info.json", e -> showDatasetInfo(null, ""));
    forgetInfo.setId("forget-dataset-info");
    datasetInfoPanel.add(datasetInfoText, forgetInfo);

    problems.setId("upload-problems");
    problems.setVisible(false);
    report.setId("upload-report");
    report.setVisible(false);

    add(
        new HorizontalLayout(name, format, dropInvalid, redact),
        split,
        upload,
        datasetInfoPanel,
        pendingPanel,
        problems,
        report);
  }

  /**
   * Runs on the upload's own thread, without the UI lock: UI changes go through access(). A CSV
   * file, a Parquet file of plain columns, or one whose validation file is separate, is held until
   * the user stores it; a dataset_info.json is kept for the data files that follow.
   */
  private void received(UI ui, String fileName, Path file) {
    if (DatasetInfo.isDatasetInfo(fileName)) {
      try {
        String text = readDatasetInfo(file);
        List<DatasetInfo> entries = DatasetInfo.entries(text);
        ui.access(() -> showDatasetInfo(text, describe(entries)));
      } catch (DatasetRejected rejected) {
        ui.access(() -> rejected(rejected));
      }
      return;
    }
    DatasetFormat columns = columnsFormat(fileName);
    try {
      List<String> header =
          columns == DatasetFormat.CSV
              ? datasets.csvColumns(file)
              : columns == DatasetFormat.PARQUET ? datasets.parquetColumnsToMap(file) : List.of();
      DatasetFormat mapped = header.isEmpty() ? null : columns;
      if (mapped != null || split.isSeparateFile()) {
        PendingFile kept = PendingFile.keep(fileName, file);
        ui.access(() -> hold(kept, mapped, header));
        return;
      }
      DatasetUpload stored = upload(fileName, file, options(null, fileName));
      ui.access(() -> stored(stored));
    } catch (DatasetRejected rejected) {
      ui.access(() -> rejected(rejected));
    } catch (IllegalArgumentException wrong) {
      ui.access(() -> refused(wrong.getMessage(), ""));
    } catch (RuntimeException failed) {
      ui.access(() -> refused("The file could not be stored: " + failed.getMessage(), ""));
    }
  }

  /** CSV or Parquet when the chosen format or the file's name says so, else null. */
  private @Nullable DatasetFormat columnsFormat(String fileName) {
    DatasetFormat chosen = format.getValue();
    String name = fileName.toLowerCase(Locale.ROOT);
    if (chosen == DatasetFormat.CSV || (chosen == null && name.endsWith(".csv"))) {
      return DatasetFormat.CSV;
    }
    if (chosen == DatasetFormat.PARQUET || (chosen == null && name.endsWith(".parquet"))) {
      return DatasetFormat.PARQUET;
    }
    return null;
  }

  private static String readDatasetInfo(Path file) {
    try {
      if (Files.size(file) > 1 << 20) {
        throw DatasetRejected.because(DatasetInfo.FILE_NAME + " is over 1 MB");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String describe(List<DatasetInfo> entries) {
    return String.join("; ", entries.stream().map(DatasetInfo::describe).toList());
  }

  private void showDatasetInfo(@Nullable String text, String described) {
    datasetInfo = text;
    datasetInfoText.setText(
        "Reading JSON rows with the mapping from "
            + DatasetInfo.FILE_NAME
            + " (the entry whose file_name is the data file's name, or its only entry): "
            + described);
    datasetInfoPanel.setVisible(text != null);
    problems.setVisible(false);
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

  /**
   * The options as chosen; for a CSV or Parquet file read by columns ({@code columns}) its mapping,
   * and a split column when one is chosen; for JSON rows the held dataset_info.json's entry.
   */
  private DatasetUploadOptions options(@Nullable DatasetFormat columns, String fileName) {
    boolean mapped = columns != null;
    DatasetUploadOptions options =
        new DatasetUploadOptions(
            mapped ? columns : format.getValue(),
            dropInvalid.getValue(),
            redact.getValue(),
            mapped ? mapping.value() : null,
            split.value(),
            !mapped && datasetInfo != null ? DatasetInfo.parse(datasetInfo, fileName) : null);
    String splitColumn = mapped ? mapping.splitColumn() : null;
    return splitColumn == null ? options : options.withSplit(new DatasetSplit.ByField(splitColumn));
  }

  private void hold(PendingFile file, @Nullable DatasetFormat columns, List<String> header) {
    forgetPending();
    pending = file;
    pendingColumns = columns;
    problems.setVisible(false);
    report.setVisible(false);
    mapping.setVisible(columns != null);
    if (columns != null) {
      mapping.show(header);
    }
    pendingText.setText(
        file.fileName()
            + (columns != null
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
      DatasetUpload stored =
          upload(file.fileName(), file.path(), options(pendingColumns, file.fileName()));
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
          new Paragraph("Stored as " + read.formatLabel() + "; these rows were left out:"),
          new Pre(read.summary()));
    }
    report.add(new QualityReportView(stored.quality()));
    datasets.preference(saved.versionId()).ifPresent(p -> report.add(new PreferenceReportView(p)));
  }
}
