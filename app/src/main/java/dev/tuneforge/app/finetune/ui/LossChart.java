package dev.tuneforge.app.finetune.ui;

import com.vaadin.flow.component.Svg;
import java.util.List;
import java.util.Locale;

/**
 * The training-loss curve as server-rendered SVG: no client-side chart library, so the
 * pre-built frontend bundle suffices and no licence is needed.
 */
class LossChart extends Svg {
  record Point(int step, double loss) {}

  private static final int WIDTH = 720;
  private static final int HEIGHT = 260;
  private static final int PAD_LEFT = 56;
  private static final int PAD_BOTTOM = 32;
  private static final int PAD = 12;

  LossChart() {
    setId("loss-chart");
    getElement().getStyle().set("width", "100%").set("max-width", WIDTH + "px").set("display", "block");
    show(List.of());
  }

  void show(List<Point> points) {
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 %d %d' width='100%%' style='max-width:%dpx' role='img' aria-label='Training loss by step'>",
        WIDTH, HEIGHT, WIDTH));
    svg.append("<rect x='0' y='0' width='100%' height='100%' fill='none'/>");
    if (points.isEmpty()) {
      svg.append(String.format(Locale.ROOT,
          "<text x='%d' y='%d' text-anchor='middle' fill='gray' font-size='14'>No loss reported yet</text>", WIDTH / 2, HEIGHT / 2));
    } else {
      plot(points, svg);
    }
    svg.append("</svg>");
    setSvg(svg.toString());
    getElement().setAttribute("data-points", Integer.toString(points.size()));
  }

  private static void plot(List<Point> points, StringBuilder svg) {
    int minStep = points.getFirst().step();
    int maxStep = Math.max(points.getLast().step(), minStep + 1);
    double min = points.stream().mapToDouble(Point::loss).min().orElse(0);
    double max = points.stream().mapToDouble(Point::loss).max().orElse(1);
    if (max - min < 1e-9) {
      max = min + 1;
    }
    double plotW = WIDTH - PAD_LEFT - PAD;
    double plotH = HEIGHT - PAD_BOTTOM - PAD;
    svg.append(String.format(Locale.ROOT,
        "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/>", PAD_LEFT, HEIGHT - PAD_BOTTOM, WIDTH - PAD, HEIGHT - PAD_BOTTOM));
    svg.append(String.format(Locale.ROOT,
        "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999'/>", PAD_LEFT, PAD, PAD_LEFT, HEIGHT - PAD_BOTTOM));
    for (int i = 0; i <= 4; i++) {
      double value = min + (max - min) * i / 4;
      double y = PAD + plotH - plotH * i / 4;
      svg.append(String.format(Locale.ROOT,
          "<text x='%d' y='%.1f' text-anchor='end' font-size='11' fill='#666'>%.3f</text>", PAD_LEFT - 6, y + 4, value));
    }
    svg.append(String.format(Locale.ROOT,
        "<text x='%d' y='%d' font-size='11' fill='#666'>step %d</text>", PAD_LEFT, HEIGHT - 10, minStep));
    svg.append(String.format(Locale.ROOT,
        "<text x='%d' y='%d' text-anchor='end' font-size='11' fill='#666'>step %d</text>", WIDTH - PAD, HEIGHT - 10, maxStep));
    StringBuilder path = new StringBuilder();
    for (Point p : points) {
      double x = PAD_LEFT + plotW * (p.step() - minStep) / (maxStep - minStep);
      double y = PAD + plotH * (max - p.loss()) / (max - min);
      path.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    svg.append("<polyline fill='none' stroke='#1676f3' stroke-width='2' points='")
        .append(path.toString().strip())
        .append("'/>");
  }
}
