package dev.tuneforge.app.dataset;

import dev.tuneforge.app.dataset.version.DatasetVersion;

/** The layouts an upload may come in; each is normalised to OpenAI chat JSONL. */
public enum DatasetFormat {
  CHAT("chat-jsonl", "Chat JSONL ({\"messages\": [...]})"),
  PROMPT_COMPLETION("prompt-completion-jsonl", "Prompt/completion JSONL"),
  ALPACA("alpaca-jsonl", "Alpaca JSONL (instruction, input, output)"),
  SHAREGPT("sharegpt-jsonl", "ShareGPT JSONL (conversations)"),
  /**
   * Comma-separated values with a header; a {@link CsvMapping} says which columns are which turn.
   */
  CSV("csv", "CSV (map its columns)");

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
}
