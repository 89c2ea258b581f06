package dev.tuneforge.app.dataset.ui;

import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import dev.tuneforge.app.dataset.QualityReport;
import dev.tuneforge.app.dataset.tokens.TokenLengths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A version's quality report: the figures as a compact list, and the length histogram and JSON key
 * presence as server-rendered SVG bar charts (no client-side chart library).
 */
class QualityReportView extends Div {
  private static final int WIDTH = 560;
  private static final int BAR = 20;
  private static final int LABEL = 120;

  QualityReportView(QualityReport q) {
    this(q, null);
  }

  /**
   * With {@code tokens}, the exact token lengths take the place of the estimate once they are
   * counted.
   */
  QualityReportView(QualityReport q, @Nullable TokenLengthsView tokens) {
    addClassName("quality-report");
    add(new H4("Quality report"));
    UnorderedList figures = new UnorderedList();
    figures.setId("quality-figures");
    int rows = q.rows();
    ListItem truncated = item("truncated", estimatedTruncation(q));
    figures.add(
        item("rows", rows + " rows"),
        item(
            "exact-duplicates",
            q.exactDuplicates() + " exact duplicates" + share(q.exactDuplicates(), rows)),
        item(
            "near-duplicates",
            q.nearDuplicates() + " near duplicates" + share(q.nearDuplicates(), rows)),
        item(
            "empty-turns",
            q.emptyTurns()
                + " empty or whitespace-only turns in "
                + q.rowsWithEmptyTurn()
                + " rows"),
        item(
            "without-assistant",
            q.rowsWithoutAssistant() + " rows without an assistant turn (dropped)"),
        truncated,
        item(
            "json-answers",
            q.jsonAnswers()
                + " last assistant turns parse as a JSON object"
                + share(q.jsonAnswers(), rows)));
    if (q.toolCallRows() > 0) {
      figures.add(
          item(
              "tool-calls",
              q.toolCallRows()
                  + " rows use tools"
                  + share(q.toolCallRows(), rows)
                  + "; they train only on a base model whose chat template has tool support"));
    }
    figures.add(item("personal-data", personalData(q)));
    if (q.placeholders() != null) {
      figures.add(item("placeholders", placeholders(q.placeholders(), rows)));
    }
    add(figures);
    if (tokens == null) {
      add(estimate(q));
    } else {
      add(tokens);
      tokens.whenShown(
          counted ->
              truncated.setText(
                  counted == null || counted.summary() == null
                      ? estimatedTruncation(q)
                      : exactTruncation(counted, counted.summary())));
    }
    if (q.jsonAnswers() > 0 && !q.keyPresence().isEmpty()) {
      add(
          chart(
              "quality-keys-chart",
              "Key presence (% of rows)",
              List.copyOf(q.keyPresence().entrySet()),
              rows,
              true));
    }
  }

  private static String estimatedTruncation(QualityReport q) {
    return truncation(q.truncatedRows(), q.maxTokens(), q.rows(), " (estimate: UTF-8 bytes ÷ 4)")
        + overLimits(q.rowsOverTokens());
  }

  /** The same figures from the exact count the token lengths below show. */
  private static String exactTruncation(TokenLengths counted, TokenLengths.Summary s) {
    Map<Integer, Integer> over = new LinkedHashMap<>();
    TokenLengths.Summary.LIMITS.forEach(limit -> over.put(limit, s.rowsOver().get(limit)));
    String skipped =
        ", " + s.droppedRows() + " of them with no assistant token left (skipped in training)";
    return truncation(s.truncatedRows(), counted.maxLength(), s.rows(), skipped)
        + overLimits(over)
        + " (exact, "
        + counted.baseModelName()
        + " tokenizer)";
  }

  private static String truncation(int truncated, int maxLength, int rows, String more) {
    return truncated
        + " rows over "
        + maxLength
        + " tokens"
        + share(truncated, rows)
        + " would be truncated"
        + more
        + "; over 512/1024/2048/4096: ";
  }

  private static String placeholders(QualityReport.Placeholders p, int rows) {
    if (p.rows() == 0) {
      return "No template placeholders left in the data ({{name}}, <PLACEHOLDER>, [Insert …], TODO)";
    }
    List<String> examples = new ArrayList<>();
    p.examples().forEach(e -> examples.add("line " + e.line() + " " + e.placeholder()));
    return p.rows()
        + " rows with template placeholders left in"
        + share(p.rows(), rows)
        + ": "
        + String.join(", ", examples)
        + (p.rows() > p.examples().size() ? ", …" : "");
  }

  /** The bytes ÷ 4 estimate of token lengths, labelled as one. */
  static Div estimate(QualityReport q) {
    Div estimate = new Div();
    estimate.setId("quality-length-estimate");
    estimate.add(
        new Paragraph(
            "Token counts are estimates (UTF-8 bytes ÷ 4); the base model's tokenizer gives the exact "
                + "count on the training node."));
    List<Map.Entry<String, Integer>> lengths = new ArrayList<>();
    q.lengthHistogram().forEach(b -> lengths.add(Map.entry(b.label() + " tok", b.rows())));
    estimate.add(
        chart(
            "quality-length-chart",
            "Rows by estimated tokens",
            lengths,
            Math.max(1, maxOf(lengths)),
            false));
    return estimate;
  }

  private static ListItem item(String id, String text) {
    ListItem item = new ListItem(text);
    item.setId("quality-" + id);
    return item;
  }

  private static String personalData(QualityReport q) {
    if (q.personalData().isEmpty()) {
      return "No personal data found (emails, phone numbers, card numbers, IBANs)";
    }
    List<String> parts = new ArrayList<>();
    for (QualityReport.PersonalData p : q.personalData()) {
      parts.add(
          p.kind().toLowerCase(Locale.ROOT)
              + ": "
              + p.matches()
              + " in "
              + p.rows()
              + " rows (lines "
              + String.join(", ", p.exampleLines().stream().map(String::valueOf).toList())
              + (p.rows() > p.exampleLines().size() ? ", …" : "")
              + ")");
    }
    return "Personal data "
        + (q.redacted()
            ? "redacted in the training file (the original is kept as uploaded)"
            : "found")
        + ": "
        + String.join("; ", parts);
  }

  private static String overLimits(Map<Integer, Integer> over) {
    List<String> parts = new ArrayList<>();
    over.forEach((limit, count) -> parts.add(String.valueOf(count)));
    return String.join("/", parts);
  }

  private static String share(int part, int whole) {
    return String.format(Locale.ROOT, " (%.1f%%)", QualityReport.percent(part, whole));
  }

  private static int maxOf(List<Map.Entry<String, Integer>> bars) {
    return bars.stream().mapToInt(Map.Entry::getValue).max().orElse(0);
  }

  /** Horizontal bars, one per entry, scaled to {@code scale}; percent bars are labelled in %. */
  static Svg chart(
      String id, String title, List<Map.Entry<String, Integer>> bars, int scale, boolean percent) {
    int height = 24 + bars.size() * (BAR + 4);
    StringBuilder svg =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 %d %d' width='100%%' style='max-width:%dpx' role='img' aria-label='%s'>",
                WIDTH,
                height,
                WIDTH,
                escape(title)));
    svg.append(
        String.format(
            Locale.ROOT, "<text x='0' y='14' font-size='13' fill='#333'>%s</text>", escape(title)));
    int y = 24;
    double plot = WIDTH - LABEL - 70;
    for (Map.Entry<String, Integer> bar : bars) {
      double w = scale == 0 ? 0 : plot * bar.getValue() / scale;
      String value =
          percent
              ? String.format(Locale.ROOT, "%.1f%%", QualityReport.percent(bar.getValue(), scale))
              : String.valueOf(bar.getValue());
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%d' text-anchor='end' font-size='11' fill='#666'>%s</text>",
              LABEL - 6,
              y + 14,
              escape(bar.getKey())));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x='%d' y='%d' width='%.1f' height='%d' fill='#1676f3'/>",
              LABEL,
              y,
              w,
              BAR));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='%.1f' y='%d' font-size='11' fill='#333'>%s</text>",
              LABEL + w + 4,
              y + 14,
              value));
      y += BAR + 4;
    }
    svg.append("</svg>");
    Svg chart = new Svg(svg.toString());
    chart.setId(id);
    chart.getElement().setAttribute("data-bars", Integer.toString(bars.size()));
    chart
        .getElement()
        .getStyle()
        .set("width", "100%")
        .set("max-width", WIDTH + "px")
        .set("display", "block");
    return chart;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&apos;");
  }
}
