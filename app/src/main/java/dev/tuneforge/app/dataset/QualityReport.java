package dev.tuneforge.app.dataset;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Figures about a version's kept rows, computed while it was normalised and stored with it as JSON;
 * docs/datasets.md ("Quality report") defines each. Token counts are estimates (UTF-8 bytes / 4):
 * the base model's tokenizer gives the exact count on the training node.
 *
 * @param lengthHistogram rows per estimated-token range, in order
 * @param rowsOverTokens rows whose estimated tokens exceed each limit (512, 1024, 2048, 4096)
 * @param jsonAnswers rows whose last assistant turn parses as a JSON object
 * @param keyPresence for each top-level key of those objects, the rows that have it
 * @param personalData findings per kind; line numbers only, never the values
 * @param placeholders rows with template placeholders left in; null in reports stored before the
 *     check
 * @param toolCallRows rows that call tools (or declare them): they need a template with tool
 *     support
 */
public record QualityReport(
    int rows,
    int exactDuplicates,
    int nearDuplicates,
    int emptyTurns,
    int rowsWithEmptyTurn,
    int rowsWithoutAssistant,
    List<Bucket> lengthHistogram,
    Map<Integer, Integer> rowsOverTokens,
    int maxTokens,
    long maxRowTokens,
    int jsonAnswers,
    Map<String, Integer> keyPresence,
    List<PersonalData> personalData,
    boolean redacted,
    @Nullable Placeholders placeholders,
    int toolCallRows) {

  public static final int DEFAULT_MAX_TOKENS = 2048;

  /**
   * Rows whose estimated tokens are at most {@code upToTokens} (and above the previous bucket's).
   */
  public record Bucket(String label, long upToTokens, int rows) {}

  /**
   * How often a kind of personal data was found, in how many rows, and the first lines it was on.
   */
  public record PersonalData(String kind, int matches, int rows, List<Integer> exampleLines) {}

  /** Rows with a template placeholder left in, and the first few: line and placeholder. */
  public record Placeholders(int rows, List<Example> examples) {

    public Placeholders {
      examples = List.copyOf(examples);
    }

    public record Example(int line, String placeholder) {}
  }

  /** Rows over the chosen maximum length, which training would truncate. */
  public int truncatedRows() {
    return rowsOverTokens.getOrDefault(maxTokens, 0);
  }

  /**
   * Whether most rows answer with a JSON object: extraction data, for which key presence matters.
   */
  public boolean extraction() {
    return rows > 0 && jsonAnswers * 2 >= rows;
  }

  public static double percent(int part, int whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }
}
