package dev.tuneforge.app.evaluation.ui;

import dev.tuneforge.app.evaluation.ModelMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** One headline metric for base and tuned, and whether higher is better (it is not for loss). */
record MetricRow(
    String name,
    @Nullable Double base,
    @Nullable Double tuned,
    boolean higherIsBetter,
    boolean percent) {

  static List<MetricRow> of(ModelMetrics base, ModelMetrics tuned, boolean extraction) {
    List<MetricRow> rows = new ArrayList<>();
    if (extraction) {
      rows.add(rate("JSON validity", base, tuned, ModelMetrics::jsonValidity));
      rows.add(rate("Whole-object match", base, tuned, ModelMetrics::objectMatch));
      rows.add(rate("Field precision (micro)", base, tuned, ModelMetrics::microPrecision));
      rows.add(rate("Field recall (micro)", base, tuned, ModelMetrics::microRecall));
      rows.add(rate("Field F1 (micro)", base, tuned, ModelMetrics::microF1));
    }
    rows.add(rate("ROUGE-L", base, tuned, ModelMetrics::rougeL));
    rows.add(rate("Text match", base, tuned, ModelMetrics::textMatch));
    rows.add(new MetricRow("Loss on expected answers", base.loss(), tuned.loss(), false, false));
    rows.add(new MetricRow("Perplexity", base.perplexity(), tuned.perplexity(), false, false));
    rows.add(
        new MetricRow("Token accuracy", base.tokenAccuracy(), tuned.tokenAccuracy(), true, true));
    return rows;
  }

  private static MetricRow rate(
      String name, ModelMetrics base, ModelMetrics tuned, Function<ModelMetrics, Double> get) {
    return new MetricRow(name, get.apply(base), get.apply(tuned), true, true);
  }

  String baseText() {
    return format(base);
  }

  String tunedText() {
    return format(tuned);
  }

  /** The change with its sign, or blank when either side is unknown. */
  String changeText() {
    if (base == null || tuned == null) {
      return "";
    }
    double delta = tuned - base;
    return percent
        ? String.format(Locale.ROOT, "%+.1f pts", delta * 100)
        : String.format(Locale.ROOT, "%+.3f", delta);
  }

  /** better, worse or same, for colouring. */
  String verdict() {
    if (base == null || tuned == null || Math.abs(tuned - base) < 1e-9) {
      return "same";
    }
    return (tuned > base) == higherIsBetter ? "better" : "worse";
  }

  String format(@Nullable Double value) {
    if (value == null) {
      return "n/a";
    }
    return percent
        ? String.format(Locale.ROOT, "%.1f%%", value * 100)
        : String.format(Locale.ROOT, "%.3f", value);
  }
}
