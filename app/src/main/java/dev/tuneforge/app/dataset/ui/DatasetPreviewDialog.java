package dev.tuneforge.app.dataset.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.DatasetUpload;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import java.util.List;
import java.util.function.Consumer;

/**
 * A dataset version's training and validation counts, its quality report (when it has one) and the
 * first rows of its training file and of its validation file, as stored; and a new version made
 * from it with personal data redacted or duplicates removed.
 */
class DatasetPreviewDialog extends Dialog {
  private static final int ROWS = 20;
  private static final int VALIDATION_ROWS = 5;

  DatasetPreviewDialog(
      DatasetService datasets,
      TokenLengthService tokens,
      List<BaseModel> models,
      DatasetSummary dataset,
      Consumer<DatasetUpload> derived) {
    setHeaderTitle(dataset.label());
    setWidth("80vw");
    Paragraph counts =
        new Paragraph(
            dataset.rows()
                + " training rows, "
                + (dataset.hasValidation()
                    ? dataset.validationRows() + " validation rows"
                    : "no validation rows")
                + " (split: "
                + dataset.split()
                + ")");
    counts.setId("preview-counts");
    add(counts);
    datasets
        .quality(dataset.versionId())
        .ifPresent(
            q ->
                add(
                    new QualityReportView(
                        q, new TokenLengthsView(tokens, models, dataset.versionId(), q))));
    datasets.preference(dataset.versionId()).ifPresent(p -> add(new PreferenceReportView(p)));
    add(new H4("Training rows"), rows(datasets, dataset, ROWS, false, "dataset-preview"));
    if (dataset.hasValidation()) {
      add(
          new H4("Validation rows"),
          rows(datasets, dataset, VALIDATION_ROWS, true, "dataset-preview-validation"));
    }
    Checkbox redact = new Checkbox("Redact personal data");
    redact.setId("derive-redact");
    Checkbox dedupe = new Checkbox("Remove duplicate rows");
    dedupe.setId("derive-dedupe");
    Button derive =
        new Button(
            "Store as new version",
            e -> {
              try {
                DatasetUpload stored =
                    datasets.derive(dataset.versionId(), redact.getValue(), dedupe.getValue());
                close();
                derived.accept(stored);
              } catch (DatasetRejected rejected) {
                Notification.show(rejected.getMessage(), 5000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
              }
            });
    derive.setId("derive-version");
    derive.setTooltipText(
        "A new version of this dataset from this version's stored files; this version stays as it is");
    getFooter().add(redact, dedupe, derive, new Button("Close", e -> close()));
  }

  private static VerticalLayout rows(
      DatasetService datasets, DatasetSummary dataset, int limit, boolean validation, String id) {
    VerticalLayout rows = new VerticalLayout();
    rows.setId(id);
    int i = 1;
    for (String row : datasets.preview(dataset.versionId(), limit, validation)) {
      List<ToolTurns.Turn> turns = ToolTurns.of(row);
      if (turns.isEmpty()) {
        rows.add(text((i++) + "  " + row));
      } else {
        rows.add(turns(i++, turns));
      }
    }
    return rows;
  }

  /** A row that uses tools, one block per turn, so calls and results stand apart from text. */
  private static Div turns(int number, List<ToolTurns.Turn> turns) {
    Div row = new Div();
    row.addClassName("preview-tool-row");
    row.add(text(number + "  "));
    for (ToolTurns.Turn turn : turns) {
      Pre pre = text(turn.text());
      pre.addClassName("turn-" + turn.kind());
      pre.getStyle()
          .set("margin", "0 0 var(--lumo-space-xs) var(--lumo-space-m)")
          .set("padding-left", "var(--lumo-space-s)")
          .set(
              "border-left",
              turn.kind().startsWith("tool")
                  ? "3px solid var(--lumo-primary-color)"
                  : "3px solid var(--lumo-contrast-20pct)");
      row.add(pre);
    }
    return row;
  }

  private static Pre text(String text) {
    Pre pre = new Pre(text);
    pre.getStyle().set("white-space", "pre-wrap").set("font-size", "var(--lumo-font-size-xs)");
    return pre;
  }
}
