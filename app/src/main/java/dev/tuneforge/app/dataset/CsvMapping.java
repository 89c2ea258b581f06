package dev.tuneforge.app.dataset;

import dev.tuneforge.app.dataset.split.DatasetSplit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which CSV columns make a conversation: the user turn and the assistant turn (both required), and
 * either a system column or one system prompt for every row (both optional). A split column is
 * chosen with {@link DatasetSplit.ByField}.
 */
public record CsvMapping(
    String userColumn,
    String assistantColumn,
    @Nullable String systemColumn,
    @Nullable String systemPrompt) {

  public CsvMapping {
    if (systemColumn != null && systemColumn.isBlank()) {
      systemColumn = null;
    }
    if (systemPrompt != null && systemPrompt.isBlank()) {
      systemPrompt = null;
    }
  }

  public CsvMapping(String userColumn, String assistantColumn) {
    this(userColumn, assistantColumn, null, null);
  }

  /**
   * A mapping guessed from the header's names (prompt/completion, input/output, …); empty if none
   * fits.
   */
  public static Optional<CsvMapping> guess(List<String> header) {
    String user =
        find(header, "user", "prompt", "input", "question", "instruction", "text", "document");
    String assistant =
        find(header, "assistant", "completion", "output", "answer", "response", "target", "label");
    String system = find(header, "system", "system_prompt", "system prompt");
    return user == null || assistant == null || user.equals(assistant)
        ? Optional.empty()
        : Optional.of(new CsvMapping(user, assistant, system, null));
  }

  private static @Nullable String find(List<String> header, String... names) {
    for (String name : names) {
      for (String column : header) {
        if (column.strip().toLowerCase(Locale.ROOT).equals(name)) {
          return column;
        }
      }
    }
    return null;
  }
}
