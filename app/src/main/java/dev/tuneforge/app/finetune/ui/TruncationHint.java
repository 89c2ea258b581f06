package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.textfield.IntegerField;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import dev.tuneforge.app.dataset.tokens.TokenLengths;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Under the max-sequence-length field: how many of the dataset's rows that length would truncate
 * under the chosen base model, when their exact token lengths have been counted at that length.
 */
final class TruncationHint {
  private TruncationHint() {}

  static void attach(
      TokenLengthService tokens,
      ComboBox<BaseModel> model,
      ComboBox<DatasetSummary> dataset,
      IntegerField maxLength) {
    Runnable show =
        () ->
            maxLength.setHelperText(
                text(tokens, model.getValue(), dataset.getValue(), maxLength.getValue()));
    model.addValueChangeListener(e -> show.run());
    dataset.addValueChangeListener(e -> show.run());
    maxLength.addValueChangeListener(e -> show.run());
    show.run();
  }

  private static String text(
      TokenLengthService tokens,
      @Nullable BaseModel model,
      @Nullable DatasetSummary dataset,
      @Nullable Integer maxLength) {
    if (model == null || dataset == null || maxLength == null) {
      return "";
    }
    return tokens
        .find(dataset.versionId(), model.getId(), maxLength)
        .map(TokenLengths::summary)
        .map(
            s ->
                String.format(
                    Locale.ROOT,
                    "%d rows (%.1f %%) longer than %d tokens would be truncated",
                    s.truncatedRows(),
                    s.truncatedPercent(),
                    maxLength))
        .orElse("");
  }
}
