package dev.tuneforge.app.dataset.ui;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.server.streams.UploadHandler;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import org.jspecify.annotations.Nullable;

/**
 * The train/validation split chosen at upload: none, a seeded random share, a field or column
 * naming each row's side, or a separate validation file uploaded here first.
 */
class SplitField extends HorizontalLayout {
  enum Kind {
    NONE("No validation set"),
    RANDOM("Random share (seeded)"),
    FIELD("By a field or column"),
    FILE("Separate validation file");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private final Select<Kind> kind = new Select<>();
  private final NumberField percent = new NumberField("Validation %");
  private final IntegerField seed = new IntegerField("Seed");
  private final TextField field = new TextField("Split field");
  private final Upload upload;
  private final Span uploaded = new Span();
  private @Nullable PendingFile validationFile;

  SplitField() {
    kind.setId("split-kind");
    kind.setLabel("Validation split");
    kind.setItems(Kind.values());
    kind.setItemLabelGenerator(k -> k.label);
    kind.setValue(Kind.NONE);
    kind.setWidth("16em");
    percent.setId("split-percent");
    percent.setValue(10.0);
    percent.setMin(0.1);
    percent.setMax(99.9);
    percent.setStepButtonsVisible(true);
    seed.setId("split-seed");
    seed.setValue(42);
    seed.setHelperText("Same file and seed, same split");
    field.setId("split-field");
    field.setValue("split");
    field.setHelperText("Values: train or validation");
    upload =
        new Upload(
            UploadHandler.toTempFile(
                (metadata, file) -> {
                  PendingFile kept = PendingFile.keep(metadata.fileName(), file.toPath());
                  getUI()
                      .ifPresentOrElse(
                          ui -> ui.access(() -> replaceValidationFile(kept)), kept::delete);
                }));
    upload.setId("validation-upload");
    upload.setMaxFiles(1);
    upload.setAcceptedFileTypes(".jsonl", ".ndjson", ".csv");
    upload.setDropLabel(new Span("Validation file"));
    uploaded.setId("validation-file");
    kind.addValueChangeListener(e -> showFields());
    setAlignItems(Alignment.BASELINE);
    add(kind, percent, seed, field, upload, uploaded);
    showFields();
    addDetachListener(e -> replaceValidationFile(null));
  }

  private void showFields() {
    Kind k = kind.getValue();
    percent.setVisible(k == Kind.RANDOM);
    seed.setVisible(k == Kind.RANDOM);
    field.setVisible(k == Kind.FIELD);
    upload.setVisible(k == Kind.FILE);
    uploaded.setVisible(k == Kind.FILE);
  }

  private void replaceValidationFile(@Nullable PendingFile file) {
    if (validationFile != null) {
      validationFile.delete();
    }
    validationFile = file;
    upload.clearFileList();
    uploaded.setText(file == null ? "" : "Validation file: " + file.fileName());
  }

  /**
   * Whether the main upload must wait: a separate validation file is chosen but not yet uploaded.
   */
  boolean awaitsValidationFile() {
    return kind.getValue() == Kind.FILE && validationFile == null;
  }

  boolean isSeparateFile() {
    return kind.getValue() == Kind.FILE;
  }

  /**
   * The split as chosen.
   *
   * @throws IllegalArgumentException naming what is missing or out of range
   */
  DatasetSplit value() {
    return switch (kind.getValue()) {
      case NONE -> new DatasetSplit.None();
      case RANDOM -> {
        if (percent.getValue() == null || seed.getValue() == null) {
          throw new IllegalArgumentException("Give the validation share in % and a seed");
        }
        yield new DatasetSplit.Random(percent.getValue(), seed.getValue());
      }
      case FIELD -> new DatasetSplit.ByField(field.getValue());
      case FILE -> {
        if (validationFile == null) {
          throw new IllegalArgumentException("Upload the validation file first");
        }
        yield new DatasetSplit.SeparateFile(validationFile.fileName(), validationFile.path());
      }
    };
  }

  /** Forgets the validation file once it is stored. */
  void stored() {
    replaceValidationFile(null);
  }
}
