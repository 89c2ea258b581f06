package dev.tuneforge.app.dataset.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;

/** A dataset version's quality report (when it has one) and its first rows, as stored. */
class DatasetPreviewDialog extends Dialog {
  private static final int ROWS = 20;

  DatasetPreviewDialog(DatasetService datasets, DatasetSummary dataset) {
    setHeaderTitle(dataset.label());
    setWidth("80vw");
    VerticalLayout rows = new VerticalLayout();
    rows.setId("dataset-preview");
    int i = 1;
    for (String row : datasets.preview(dataset.versionId(), ROWS)) {
      Pre pre = new Pre((i++) + "  " + row);
      pre.getStyle().set("white-space", "pre-wrap").set("font-size", "var(--lumo-font-size-xs)");
      rows.add(pre);
    }
    datasets.quality(dataset.versionId()).ifPresent(q -> add(new QualityReportView(q)));
    add(rows);
    getFooter().add(new Button("Close", e -> close()));
  }
}
