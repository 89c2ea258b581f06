package dev.tuneforge.app.usage.ui;

import com.vaadin.flow.component.Svg;
import java.util.List;
import java.util.Locale;

/**
 * Spend as server-rendered SVG bars, like the loss chart: columns along the days of a month, or
 * horizontal bars for a few named things (users, base models, tenants). Each bar carries its label
 * and value as data attributes and a title, so people hover and tests read them.
 */
class BarChart extends Svg {
  record Bar(String label, double value, String valueText) {}

  private static final int WIDTH = 720;
  private final boolean columns;
  private final String description;

  private BarChart(String id, String description, boolean columns) {
    this.columns = columns;
    this.description = description;
    setId(id);
    getElement()
        .getStyle()
        .set("width", "100%")
        .set("max-width", WIDTH + "px")
        .set("display", "block");
    show(List.of());
  }

  /** Vertical bars in order, labelled below every few bars: days of a month. */
  static BarChart columns(String id, String description) {
    return new BarChart(id, description, true);
  }

  /** One labelled horizontal bar per thing, in the order given. */
  static BarChart bars(String id, String description) {
    return new BarChart(id, description, false);
  }

  void show(List<Bar> bars) {
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    int height = columns ? 220 : Math.max(40, 28 * bars.size() + 12);
    StringBuilder svg =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 %d %d' width='100%%' style='max-width:%dpx' role='img' aria-label='%s'>",
                WIDTH,
                height,
                WIDTH,
                escape(description)));
    if (bars.isEmpty() || max <= 0) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%d' text-anchor='middle' fill='gray' font-size='14'>No spend in this month</text>",
              WIDTH / 2,
              height / 2 + 5));
    }
    if (!bars.isEmpty()) {
      if (columns) {
        columns(bars, max, height, svg);
      } else {
        rows(bars, max, svg);
      }
    }
    svg.append("</svg>");
    setSvg(svg.toString());
    getElement()
        .setAttribute("data-bars", Long.toString(bars.stream().filter(b -> b.value() > 0).count()));
  }

  private static void columns(List<Bar> bars, double max, int height, StringBuilder svg) {
    int left = 8;
    int bottom = 28;
    double slot = (WIDTH - 2.0 * left) / bars.size();
    double plot = height - bottom - 12;
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/>",
            left,
            height - bottom,
            WIDTH - left,
            height - bottom));
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      double x = left + slot * i;
      double h = max <= 0 ? 0 : plot * bar.value() / max;
      if (bar.value() > 0) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect class='bar' x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='#1676f3' data-label='%s' data-value='%s'><title>%s: %s</title></rect>",
                x + 1,
                height - bottom - h,
                Math.max(1, slot - 2),
                h,
                escape(bar.label()),
                escape(bar.valueText()),
                escape(bar.label()),
                escape(bar.valueText())));
      }
      if (i % 5 == 0 || i == bars.size() - 1) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x='%.1f' y='%d' text-anchor='middle' font-size='11' fill='#666'>%s</text>",
                x + slot / 2,
                height - 10,
                escape(bar.label())));
      }
    }
  }

  private static void rows(List<Bar> bars, double max, StringBuilder svg) {
    int labelWidth = 200;
    int valueWidth = 110;
    double plot = WIDTH - labelWidth - valueWidth;
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      int y = 8 + 28 * i;
      double w = max <= 0 ? 0 : plot * bar.value() / max;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%d' text-anchor='end' font-size='12' fill='#333'>%s</text>",
              labelWidth - 8,
              y + 15,
              escape(shorten(bar.label()))));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class='bar' x='%d' y='%d' width='%.1f' height='20' fill='#1676f3' data-label='%s' data-value='%s'><title>%s: %s</title></rect>",
              labelWidth,
              y,
              Math.max(1, w),
              escape(bar.label()),
              escape(bar.valueText()),
              escape(bar.label()),
              escape(bar.valueText())));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='%.1f' y='%d' font-size='12' fill='#333'>%s</text>",
              labelWidth + Math.max(1, w) + 6,
              y + 15,
              escape(bar.valueText())));
    }
  }

  private static String shorten(String label) {
    return label.length() > 28 ? label.substring(0, 27) + "…" : label;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&#39;")
        .replace("\"", "&quot;");
  }
}
