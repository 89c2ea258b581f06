package dev.tuneforge.app.dataset;

import java.util.List;

/**
 * The outcome of validating a file: how many rows it has and its problems, each naming the line
 * and the reason. Only the first {@link ChatJsonlValidator#MAX_LISTED_PROBLEMS} are listed;
 * {@code problemCount} counts them all.
 */
public record ValidationReport(int rows, List<String> problems, int problemCount) {

  public boolean valid() {
    return problemCount == 0;
  }

  /** A one-paragraph summary for the UI. */
  public String summary() {
    if (valid()) {
      return rows + " valid rows";
    }
    String listed = String.join("\n", problems);
    int hidden = problemCount - problems.size();
    return listed + (hidden > 0 ? "\n… and " + hidden + " more problems" : "");
  }
}
