package dev.tuneforge.app.dataset;

import dev.tuneforge.app.dataset.version.DatasetVersion;

/**
 * The layouts an upload may come in; each is normalised to OpenAI chat JSONL, but preference pairs
 * to preference JSONL. The JSON layouts come as JSONL (one row per line) or as one JSON array of
 * rows.
 */
public enum DatasetFormat {
  CHAT("chat-jsonl", "Chat JSONL or JSON array ({\"messages\": [...]})"),
  PROMPT_COMPLETION("prompt-completion-jsonl", "Prompt/completion JSONL or JSON array"),
  ALPACA("alpaca-jsonl", "Alpaca JSONL or JSON array (instruction, input, output)"),
  SHAREGPT("sharegpt-jsonl", "ShareGPT JSONL or JSON array (conversations)"),
  /**
   * Comma-separated values with a header; a {@link CsvMapping} says which columns are which turn.
   */
  CSV("csv", "CSV (map its columns)"),
  /**
   * Apache Parquet, as Hugging Face datasets store them: a {@code messages} (or {@code
   * conversations}) column of structs is read as chat (or ShareGPT), other layouts by their column
   * names, and plain text columns by a {@link CsvMapping}.
   */
  PARQUET("parquet", "Parquet (Hugging Face datasets)"),
  /**
   * Preference pairs for DPO, stored as canonical preference JSONL rather than chat: OpenAI's
   * {@code input}/{@code preferred_output}/{@code non_preferred_output}, or {@code prompt}/{@code
   * chosen}/{@code rejected} as text or messages.
   */
  PREFERENCE(
      "preference-jsonl",
      "Preference pairs JSONL or JSON array (prompt/chosen/rejected, or OpenAI's preferred_output)");

  private final String id;
  private final String label;

  DatasetFormat(String id, String label) {
    this.id = id;
    this.label = label;
  }

  /** The name stored on a {@link DatasetVersion}. */
  public String id() {
    return id;
  }

  public String label() {
    return label;
  }

  /**
   * The name stored for rows of this layout read from one JSON array ({@code [{…}, {…}]}) rather
   * than JSONL: {@code alpaca-json} beside {@code alpaca-jsonl}.
   */
  public String arrayId() {
    if (this == PREFERENCE) {
      return "preference-json";
    }
    return id.endsWith("-jsonl") ? id.substring(0, id.length() - 1) : id;
  }
}
