package dev.tuneforge.app.dataset.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import dev.tuneforge.app.base.ui.Polling;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.dataset.QualityReport;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import dev.tuneforge.app.dataset.tokens.TokenLengths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A version's token lengths under a chosen base model and maximum length: the exact histogram,
 * percentiles and truncated rows once counted, a progress bar while counting, and the bytes ÷ 4
 * estimate, labelled as one, until then.
 */
class TokenLengthsView extends Div {
  private static final int POLL_MILLIS = 1000;

  private final TokenLengthService tokens;
  private final UUID versionId;
  private final QualityReport estimate;
  private final H4 title = new H4();
  private final Select<BaseModel> model = new Select<>();
  private final IntegerField maxLength = new IntegerField("Max length (tokens)");
  private final Div body = new Div();
  private boolean counting;
  private Consumer<@Nullable TokenLengths> shown = counted -> {};

  TokenLengthsView(
      TokenLengthService tokens, List<BaseModel> models, UUID versionId, QualityReport estimate) {
    this.tokens = tokens;
    this.versionId = versionId;
    this.estimate = estimate;
    setId("token-lengths");
    title.setId("token-lengths-title");
    model.setLabel("Base model");
    model.setId("token-lengths-model");
    model.setItems(models);
    model.setItemLabelGenerator(BaseModel::getName);
    tokens
        .defaultModel()
        .flatMap(d -> models.stream().filter(m -> m.getId().equals(d.getId())).findFirst())
        .ifPresent(model::setValue);
    maxLength.setId("token-lengths-max");
    maxLength.setMin(2);
    maxLength.setMax(TokenLengthService.MAX_MAX_LENGTH);
    maxLength.setStepButtonsVisible(true);
    maxLength.setValue(TokenLengthService.DEFAULT_MAX_LENGTH);
    Button count = new Button("Count tokens", e -> request());
    count.setId("token-lengths-count");
    HorizontalLayout controls = new HorizontalLayout(model, maxLength, count);
    controls.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    model.addValueChangeListener(e -> refresh());
    maxLength.addValueChangeListener(e -> refresh());
    add(title, controls, body);
    if (models.isEmpty()) {
      controls.setVisible(false);
    }
    Polling.whileAttached(
        this,
        POLL_MILLIS,
        () -> {
          if (counting) {
            refresh();
          }
        });
    refresh();
  }

  /**
   * Tells {@code listener} the exact count shown, at once and whenever it changes: null while there
   * is none for the chosen model and length.
   */
  void whenShown(Consumer<@Nullable TokenLengths> listener) {
    shown = listener;
    refresh();
  }

  private void request() {
    BaseModel chosen = model.getValue();
    Integer length = maxLength.getValue();
    if (chosen == null || length == null) {
      return;
    }
    try {
      tokens.request(versionId, chosen.getId(), length);
      refresh();
    } catch (IllegalArgumentException e) {
      maxLength.setInvalid(true);
      maxLength.setErrorMessage(e.getMessage());
    }
  }

  /**
   * Shows what is known for the chosen model and length, and notes whether a count is under way.
   */
  private void refresh() {
    body.removeAll();
    BaseModel chosen = model.getValue();
    Integer length = maxLength.getValue();
    title.setText(
        chosen == null ? "Token lengths (estimated)" : "Token lengths under " + chosen.getName());
    Optional<TokenLengths> found =
        chosen == null || length == null
            ? Optional.empty()
            : tokens.find(versionId, chosen.getId(), length);
    TokenLengths.Summary summary = found.map(TokenLengths::summary).orElse(null);
    shown.accept(summary != null ? found.get() : null);
    if (summary != null) {
      body.add(exact(summary, length));
      counting = false;
      return;
    }
    counting = found.isPresent() && !found.get().status().finished();
    if (counting) {
      TokenLengths t = found.get();
      ProgressBar bar = new ProgressBar();
      bar.setId("token-lengths-progress");
      if (t.rowsTotal() > 0) {
        bar.setValue((double) t.rowsDone() / t.rowsTotal());
      } else {
        bar.setIndeterminate(true);
      }
      Paragraph text =
          new Paragraph(
              t.rowsTotal() > 0
                  ? "Counting tokens: " + t.rowsDone() + " of " + t.rowsTotal() + " rows"
                  : "Counting tokens: queued");
      text.setId("token-lengths-status");
      body.add(text, bar);
    } else if (found.isPresent() && found.get().error() != null) {
      Paragraph failed = new Paragraph("The count failed: " + found.get().error());
      failed.setId("token-lengths-status");
      body.add(failed);
    } else if (chosen != null) {
      Paragraph none =
          new Paragraph("Not counted yet under this model and length: choose Count tokens.");
      none.setId("token-lengths-status");
      body.add(none);
    }
    body.add(QualityReportView.estimate(estimate));
  }

  private static Div exact(TokenLengths.Summary s, int maxLength) {
    Div exact = new Div();
    UnorderedList figures = new UnorderedList();
    figures.setId("token-lengths-figures");
    figures.add(
        item(
            "percentiles",
            "p50 "
                + s.p50()
                + ", p90 "
                + s.p90()
                + ", p99 "
                + s.p99()
                + ", max "
                + s.maxTokens()
                + String.format(Locale.ROOT, " tokens (mean %.1f)", s.meanTokens())),
        item(
            "truncated",
            s.truncatedRows()
                + " rows"
                + String.format(Locale.ROOT, " (%.1f %%)", s.truncatedPercent())
                + " longer than "
                + maxLength
                + " tokens would be truncated"),
        item(
            "assistant-lost",
            s.assistantTokensLost()
                + " of "
                + s.assistantTokens()
                + " assistant tokens fall beyond "
                + maxLength
                + " and would not be trained on"));
    List<Map.Entry<String, Integer>> bars = new ArrayList<>();
    int most = 1;
    for (TokenLengths.Bin bin : s.histogram()) {
      bars.add(Map.entry(bin.from() + "–" + (bin.to() - 1) + " tok", bin.rows()));
      most = Math.max(most, bin.rows());
    }
    exact.add(
        figures,
        QualityReportView.chart(
            "token-lengths-chart", "Rows by tokens (exact)", bars, most, false));
    return exact;
  }

  private static ListItem item(String id, String text) {
    ListItem item = new ListItem(text);
    item.setId("token-lengths-" + id);
    return item;
  }
}
