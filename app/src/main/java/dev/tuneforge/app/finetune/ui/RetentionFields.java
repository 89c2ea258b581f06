package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.finetune.FineTuneRequest;
import java.util.List;

/**
 * The form's retention check: whether base and tuned also answer a general-ability set after the
 * evaluation, and which one, the built-in generic instructions or one of the team's datasets.
 */
final class RetentionFields {
  final Checkbox check = new Checkbox("Check general ability (retention)");
  final ComboBox<DatasetSummary> dataset = new ComboBox<>("General-ability set");

  RetentionFields(List<DatasetSummary> datasets) {
    check.setId("retention-check");
    check.setTooltipText(
        "Base and tuned answer generic instructions after the evaluation: did tuning cost the"
            + " model what it knew?");
    dataset.setId("retention-dataset");
    dataset.setItems(datasets);
    dataset.setItemLabelGenerator(DatasetSummary::label);
    dataset.setPlaceholder("Built-in generic instructions (54 items)");
    dataset.setClearButtonVisible(true);
    dataset.setHelperText("Scored by exact answers and loss on the expected answers");
    dataset.setEnabled(false);
    check.addValueChangeListener(e -> dataset.setEnabled(e.getValue()));
  }

  FineTuneRequest.Builder applyTo(FineTuneRequest.Builder request) {
    if (!check.getValue()) {
      return request.optRetention(null, null);
    }
    return dataset.getValue() == null
        ? request.optRetention(FineTuneRequest.RETENTION_BUILTIN, null)
        : request.optRetention(FineTuneRequest.RETENTION_DATASET, dataset.getValue().versionId());
  }
}
