package dev.tuneforge.app.dataset;

import dev.tuneforge.app.dataset.ingest.DatasetNormalizer;
import java.util.List;

/**
 * The outcome of reading an upload: its format, how many rows were kept and its problems, each
 * naming the line and the reason. Only the first {@link DatasetNormalizer#MAX_LISTED_PROBLEMS} are
 * listed; {@code problemCount} counts them all. With "drop invalid rows" each row problem is a
 * dropped row ({@code droppedRows}); problems of the file itself are never dropped. {@code
 * jsonArray} says that the rows came as one JSON array rather than one per line.
 */
public record ValidationReport(
    DatasetFormat format,
    int rows,
    List<String> problems,
    int problemCount,
    int droppedRows,
    boolean jsonArray) {

  public ValidationReport(
      DatasetFormat format, int rows, List<String> problems, int problemCount, int droppedRows) {
    this(format, rows, problems, problemCount, droppedRows, false);
  }

  public ValidationReport(int rows, List<String> problems, int problemCount) {
    this(DatasetFormat.CHAT, rows, problems, problemCount, 0);
  }

  /** The name stored on the version: the layout, and whether it came as a JSON array. */
  public String formatId() {
    return jsonArray ? format.arrayId() : format.id();
  }

  /** The format in words, for the page. */
  public String formatLabel() {
    return format.label().replace("JSONL or JSON array", jsonArray ? "JSON array" : "JSONL");
  }

  /** Whether the file has no problems at all. */
  public boolean valid() {
    return problemCount == 0;
  }

  /** Whether the kept rows may be stored: some are left and every problem was a dropped row. */
  public boolean accepted() {
    return rows > 0 && problemCount == droppedRows;
  }

  /** A one-paragraph summary for the UI: the rows kept, or the problems. */
  public String summary() {
    if (valid()) {
      return rows + " valid rows";
    }
    String listed = String.join("\n", problems);
    int hidden = problemCount - problems.size();
    String more =
        hidden > 0
            ? "\n… and " + hidden + " more " + (accepted() ? "dropped rows" : "problems")
            : "";
    return (accepted() ? rows + " rows kept; " + droppedRows + " dropped:\n" : "") + listed + more;
  }
}
