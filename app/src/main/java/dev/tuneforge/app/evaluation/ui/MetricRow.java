package dev.tuneforge.app.evaluation.ui;

import dev.tuneforge.app.evaluation.Confidence;
import dev.tuneforge.app.evaluation.Headline;
import dev.tuneforge.app.evaluation.Interval;
import dev.tuneforge.app.evaluation.MetricConfidence;
import dev.tuneforge.app.evaluation.ModelMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One headline metric for base and tuned, whether higher is better (it is not for loss), and its
 * bootstrap intervals where the metric is a function of the examples.
 */
record MetricRow(
    String name,
    @Nullable Double base,
    @Nullable Double tuned,
    boolean higherIsBetter,
    boolean percent,
    @Nullable MetricConfidence confidence) {

  static List<MetricRow> of(
      ModelMetrics base, ModelMetrics tuned, boolean extraction, @Nullable Confidence confidence) {
    List<MetricRow> rows = new ArrayList<>();
    if (extraction) {
      rows.add(rate(Headline.JSON_VALIDITY, base, tuned, ModelMetrics::jsonValidity, confidence));
      rows.add(rate(Headline.OBJECT_MATCH, base, tuned, ModelMetrics::objectMatch, confidence));
      rows.add(
          rate(Headline.MICRO_PRECISION, base, tuned, ModelMetrics::microPrecision, confidence));
      rows.add(rate(Headline.MICRO_RECALL, base, tuned, ModelMetrics::microRecall, confidence));
      rows.add(rate(Headline.MICRO_F1, base, tuned, ModelMetrics::microF1, confidence));
      rows.add(
          rate(Headline.MACRO_PRECISION, base, tuned, ModelMetrics::macroPrecision, confidence));
      rows.add(rate(Headline.MACRO_RECALL, base, tuned, ModelMetrics::macroRecall, confidence));
      rows.add(rate(Headline.MACRO_F1, base, tuned, ModelMetrics::macroF1, confidence));
    }
    rows.add(rate(Headline.ROUGE_L, base, tuned, ModelMetrics::rougeL, confidence));
    rows.add(rate(Headline.TEXT_MATCH, base, tuned, ModelMetrics::textMatch, confidence));
    rows.add(
        new MetricRow("Loss on expected answers", base.loss(), tuned.loss(), false, false, null));
    rows.add(
        new MetricRow("Perplexity", base.perplexity(), tuned.perplexity(), false, false, null));
    rows.add(
        new MetricRow(
            "Token accuracy", base.tokenAccuracy(), tuned.tokenAccuracy(), true, true, null));
    return rows;
  }

  private static MetricRow rate(
      Headline metric,
      ModelMetrics base,
      ModelMetrics tuned,
      Function<ModelMetrics, @Nullable Double> get,
      @Nullable Confidence confidence) {
    String name = metric.label.substring(0, 1).toUpperCase(Locale.ROOT) + metric.label.substring(1);
    return new MetricRow(
        name,
        get.apply(base),
        get.apply(tuned),
        true,
        true,
        confidence == null ? null : confidence.of(metric).orElse(null));
  }

  String baseText() {
    return base == null
        ? format(null)
        : format(base) + interval(confidence == null ? null : confidence.baseInterval(), "%.1f");
  }

  String tunedText() {
    return tuned == null
        ? format(null)
        : format(tuned) + interval(confidence == null ? null : confidence.tunedInterval(), "%.1f");
  }

  /** The change with its sign, and its interval; blank when either side is undefined. */
  String changeText() {
    if (base == null || tuned == null) {
      return "";
    }
    double delta = tuned - base;
    return (percent
            ? String.format(Locale.ROOT, "%+.1f pts", delta * 100)
            : String.format(Locale.ROOT, "%+.3f", delta))
        + interval(confidence == null ? null : confidence.deltaInterval(), "%+.1f");
  }

  /**
   * better or worse (for colouring); same when equal, and unclear when the change's interval holds
   * 0.
   */
  String verdict() {
    if (base == null || tuned == null || Math.abs(tuned - base) < 1e-9) {
      return "same";
    }
    if (confidence != null
        && confidence.deltaInterval() != null
        && !confidence.deltaInterval().excludesZero()) {
      return "unclear";
    }
    return (tuned > base) == higherIsBetter ? "better" : "worse";
  }

  String format(@Nullable Double value) {
    if (value == null) {
      return "—";
    }
    return percent
        ? String.format(Locale.ROOT, "%.1f%%", value * 100)
        : String.format(Locale.ROOT, "%.3f", value);
  }

  /** " (95 % CI a … b)" in points, or blank without an interval. */
  private String interval(@Nullable Interval interval, String number) {
    if (interval == null || !percent) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        " (95 %% CI " + number + " … " + number + ")",
        interval.low() * 100,
        interval.high() * 100);
  }
}
