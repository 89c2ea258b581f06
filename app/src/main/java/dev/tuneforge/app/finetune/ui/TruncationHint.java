package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.IntegerField;
import dev.tuneforge.app.base.ui.Polling;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import dev.tuneforge.app.dataset.tokens.TokenLengths;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Under the max-sequence-length field: how many of the dataset's rows that length truncates under
 * the chosen base model and how many it leaves with no assistant token, which the trainer skips,
 * from the exact token count at that length; the count is started when there is none. A launch that
 * would skip rows asks first.
 */
final class TruncationHint {
  private static final int POLL_MILLIS = 1000;

  private final TokenLengthService tokens;
  private final ComboBox<BaseModel> model;
  private final ComboBox<DatasetSummary> dataset;
  private final IntegerField maxLength;
  private @Nullable TokenLengths shown;

  private TruncationHint(
      TokenLengthService tokens,
      ComboBox<BaseModel> model,
      ComboBox<DatasetSummary> dataset,
      IntegerField maxLength) {
    this.tokens = tokens;
    this.model = model;
    this.dataset = dataset;
    this.maxLength = maxLength;
  }

  static TruncationHint attach(
      TokenLengthService tokens,
      ComboBox<BaseModel> model,
      ComboBox<DatasetSummary> dataset,
      IntegerField maxLength) {
    TruncationHint hint = new TruncationHint(tokens, model, dataset, maxLength);
    model.addValueChangeListener(e -> hint.show());
    dataset.addValueChangeListener(e -> hint.show());
    maxLength.addValueChangeListener(e -> hint.show());
    Polling.whileAttached(
        maxLength,
        POLL_MILLIS,
        () -> {
          if (hint.shown != null && !hint.shown.status().finished()) {
            hint.show();
          }
        });
    hint.show();
    return hint;
  }

  private void show() {
    shown = current().orElse(null);
    maxLength.setHelperText(shown == null ? "" : text(shown, unit()));
  }

  /** The count for the chosen model, dataset and length; started when there is none yet. */
  private Optional<TokenLengths> current() {
    BaseModel chosen = model.getValue();
    DatasetSummary data = dataset.getValue();
    Integer length = maxLength.getValue();
    if (chosen == null || data == null || length == null) {
      return Optional.empty();
    }
    Optional<TokenLengths> found = tokens.find(data.versionId(), chosen.getId(), length);
    boolean stale =
        found.isPresent()
            && found.get().status() == TokenLengths.Status.SUCCEEDED
            && found.get().summary() == null;
    if (found.isEmpty() || stale) {
      try {
        return Optional.of(tokens.request(data.versionId(), chosen.getId(), length));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return found;
  }

  /**
   * What the count counts: rows, or for DPO pairs, each as long as its prompt with the longer
   * answer and left out when either answer keeps no token.
   */
  private String unit() {
    DatasetSummary data = dataset.getValue();
    return data != null && data.preferencePairs() ? "pairs" : "rows";
  }

  private static String text(TokenLengths counted, String unit) {
    TokenLengths.Summary s = counted.summary();
    if (s != null) {
      return String.format(
          Locale.ROOT,
          "%d %s (%.1f %%) longer than %d tokens would be truncated; %d would lose every"
              + (unit.equals("pairs") ? " token of an answer" : " assistant token")
              + " and be skipped (exact, %s tokenizer)",
          s.truncatedRows(),
          unit,
          s.truncatedPercent(),
          counted.maxLength(),
          s.droppedRows(),
          counted.baseModelName());
    }
    if (counted.status() == TokenLengths.Status.FAILED) {
      return "The token count failed: " + counted.error();
    }
    return "Counting tokens under "
        + counted.baseModelName()
        + (counted.rowsTotal() > 0
            ? ": " + counted.rowsDone() + " of " + counted.rowsTotal() + " " + unit
            : ": queued");
  }

  /**
   * Runs {@code launch} at once unless the count says the trainer would skip rows: then a dialog
   * asks whether to launch anyway or to raise the max length to the shortest that skips none. A
   * count still under way does not hold the launch up.
   */
  void beforeLaunch(Runnable launch) {
    show();
    TokenLengths counted = shown;
    TokenLengths.Summary s = counted == null ? null : counted.summary();
    if (counted == null || s == null || s.droppedRows() == 0) {
      launch.run();
      return;
    }
    Dialog dialog = new Dialog();
    dialog.setHeaderTitle("Rows would be skipped");
    Paragraph text =
        new Paragraph(
            s.droppedRows()
                + " of "
                + s.rows()
                + " "
                + unit()
                + (unit().equals("pairs")
                    ? " have an answer with no tokens left after truncation at "
                    : " have no assistant tokens left after truncation at ")
                + counted.maxLength()
                + " and will be skipped.");
    text.setId("truncation-confirm-text");
    dialog.add(text);
    Button anyway =
        new Button(
            "Launch anyway",
            e -> {
              dialog.close();
              launch.run();
            });
    anyway.setId("truncation-launch-anyway");
    anyway.addThemeVariants(ButtonVariant.LUMO_ERROR);
    Button raise =
        new Button(
            "Raise max length",
            e -> {
              dialog.close();
              maxLength.setValue(Math.min(s.keepsEveryRow(), (int) maxLength.getMax()));
              maxLength.focus();
            });
    raise.setId("truncation-raise-max-length");
    raise.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    dialog.getFooter().add(anyway, raise);
    dialog.open();
  }
}
