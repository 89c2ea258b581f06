package dev.tuneforge.app.base.ui;

import com.vaadin.flow.component.Svg;
import java.util.List;
import java.util.Locale;

/**
 * Curves by step as server-rendered SVG: no client-side chart library, so the pre-built frontend
 * bundle suffices and no licence is needed. Several named series share the axes and get a legend;
 * {@code data-points} holds the first series' number of points and {@code data-series} every
 * series' {@code name=count}, for tests and scripts.
 */
public class LineChart extends Svg {
  public record Point(int step, double value) {}

  /**
   * One curve. {@code dashed} draws it as dots joined by a dashed line (sparse series such as
   * validation loss).
   */
  public record Series(String name, List<Point> points, boolean dashed) {
    public Series {
      points = List.copyOf(points);
    }

    public static Series line(String name, List<Point> points) {
      return new Series(name, points, false);
    }

    public static Series dashed(String name, List<Point> points) {
      return new Series(name, points, true);
    }

    /** A series from any records that carry a step and a value. */
    public static <T> Series of(
        String name,
        List<T> items,
        java.util.function.ToIntFunction<T> step,
        java.util.function.ToDoubleFunction<T> value,
        boolean dashed) {
      return new Series(
          name,
          items.stream().map(i -> new Point(step.applyAsInt(i), value.applyAsDouble(i))).toList(),
          dashed);
    }
  }

  private static final String[] COLOURS = {
    "#1676f3", "#e8590c", "#2b8a3e", "#ae3ec9", "#c92a2a", "#495057"
  };
  private static final int WIDTH = 720;
  private static final int HEIGHT = 260;
  private static final int PAD_LEFT = 56;
  private static final int PAD_BOTTOM = 32;
  private static final int PAD = 12;

  private final String label;
  private final String emptyText;

  public LineChart(String id, String label, String emptyText) {
    this.label = label;
    this.emptyText = emptyText;
    setId(id);
    getElement()
        .getStyle()
        .set("width", "100%")
        .set("max-width", WIDTH + "px")
        .set("display", "block");
    show(List.of());
  }

  public void show(List<Series> series) {
    List<Series> drawn = series.stream().filter(s -> !s.points().isEmpty()).toList();
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 %d %d' width='100%%' style='max-width:%dpx' role='img' aria-label='%s'>",
            WIDTH,
            HEIGHT,
            WIDTH,
            escape(label)));
    if (drawn.isEmpty()) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%d' text-anchor='middle' fill='gray' font-size='14'>%s</text>",
              WIDTH / 2,
              HEIGHT / 2,
              escape(emptyText)));
    } else {
      plot(drawn, svg);
    }
    svg.append("</svg>");
    setSvg(svg.toString());
    getElement()
        .setAttribute(
            "data-points",
            Integer.toString(series.isEmpty() ? 0 : series.getFirst().points().size()));
    getElement()
        .setAttribute(
            "data-series",
            String.join(
                ",", series.stream().map(s -> s.name() + "=" + s.points().size()).toList()));
  }

  private static void plot(List<Series> series, StringBuilder svg) {
    List<Point> all = series.stream().flatMap(s -> s.points().stream()).toList();
    int minStep = all.stream().mapToInt(Point::step).min().orElse(0);
    int maxStep = Math.max(all.stream().mapToInt(Point::step).max().orElse(1), minStep + 1);
    double min = all.stream().mapToDouble(Point::value).min().orElse(0);
    double max = all.stream().mapToDouble(Point::value).max().orElse(1);
    if (max - min < 1e-9) {
      max = min + 1;
    }
    double plotW = WIDTH - PAD_LEFT - PAD;
    double plotH = HEIGHT - PAD_BOTTOM - PAD;
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/>",
            PAD_LEFT,
            HEIGHT - PAD_BOTTOM,
            WIDTH - PAD,
            HEIGHT - PAD_BOTTOM));
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/>",
            PAD_LEFT,
            PAD,
            PAD_LEFT,
            HEIGHT - PAD_BOTTOM));
    for (int i = 0; i <= 4; i++) {
      double value = min + (max - min) * i / 4;
      double y = PAD + plotH - plotH * i / 4;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%.1f' text-anchor='end' font-size='11' fill='#666'>%.3f</text>",
              PAD_LEFT - 6,
              y + 4,
              value));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x='%d' y='%d' font-size='11' fill='#666'>step %d</text>",
            PAD_LEFT,
            HEIGHT - 10,
            minStep));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x='%d' y='%d' text-anchor='end' font-size='11' fill='#666'>step %d</text>",
            WIDTH - PAD,
            HEIGHT - 10,
            maxStep));
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      String colour = COLOURS[i % COLOURS.length];
      StringBuilder path = new StringBuilder();
      for (Point p : s.points()) {
        double x = PAD_LEFT + plotW * (p.step() - minStep) / (maxStep - minStep);
        double y = PAD + plotH * (max - p.value()) / (max - min);
        path.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        if (s.dashed()) {
          svg.append(
              String.format(
                  Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>", x, y, colour));
        }
      }
      svg.append("<polyline fill='none' stroke='")
          .append(colour)
          .append("' stroke-width='2'")
          .append(s.dashed() ? " stroke-dasharray='6 4'" : "")
          .append(" points='")
          .append(path.toString().strip())
          .append("'/>");
      if (series.size() > 1) {
        int y = PAD + 14 + 16 * i;
        svg.append(
            String.format(
                Locale.ROOT,
                "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='2'/><text x='%d' y='%d' font-size='11' fill='#333'>%s</text>",
                WIDTH - PAD - 170,
                y - 4,
                WIDTH - PAD - 150,
                y - 4,
                colour,
                WIDTH - PAD - 144,
                y,
                escape(s.name())));
      }
    }
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&apos;");
  }
}
