package dev.tuneforge.app.dataset.ingest;

import dev.tuneforge.app.dataset.CsvMapping;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Turns the records of a CSV file into conversations by a {@link CsvMapping} of its header. */
final class CsvRows {
  /** A mapping that does not fit the header: the file's problem, not a row's. */
  static final class Unmapped extends Exception {
    Unmapped(String message) {
      super(message);
    }
  }

  private final List<String> header;
  private final CsvMapping mapping;
  private final int user;
  private final int assistant;
  private final int system;
  private final int split;

  /**
   * @param mapping the columns to use, or null to guess them from the header's names
   * @param splitColumn the column holding each row's split, or null
   */
  CsvRows(List<String> header, @Nullable CsvMapping mapping, @Nullable String splitColumn)
      throws Unmapped {
    this.header = trimmed(header);
    this.mapping =
        mapping != null
            ? mapping
            : CsvMapping.guess(this.header)
                .orElseThrow(
                    () ->
                        new Unmapped(
                            "choose the columns that hold the user turn and the assistant turn; the header has "
                                + columns()));
    user = column(this.mapping.userColumn(), "user");
    assistant = column(this.mapping.assistantColumn(), "assistant");
    system =
        this.mapping.systemColumn() == null ? -1 : column(this.mapping.systemColumn(), "system");
    split = splitColumn == null ? -1 : column(splitColumn, "split");
    if (user == assistant) {
      throw new Unmapped(
          "the user and the assistant turn both come from column \""
              + this.mapping.userColumn()
              + "\"");
    }
  }

  private static List<String> trimmed(List<String> header) {
    List<String> names = new ArrayList<>();
    for (String name : header) {
      names.add(name.strip());
    }
    return List.copyOf(names);
  }

  private int column(String name, String role) throws Unmapped {
    int index = header.indexOf(name.strip());
    if (index < 0) {
      throw new Unmapped(
          "no column \""
              + name.strip()
              + "\" (for the "
              + role
              + ") in the header; it has "
              + columns());
    }
    if (header.lastIndexOf(name.strip()) != index) {
      throw new Unmapped("the header has two columns called \"" + name.strip() + "\"");
    }
    return index;
  }

  private String columns() {
    return String.join(", ", header.stream().map(c -> "\"" + c + "\"").toList());
  }

  /** The row's first problem, or null when {@code row} now holds its conversation. */
  @Nullable String read(List<String> fields, ChatRowBuffer row) {
    if (fields.size() != header.size()) {
      return "has " + fields.size() + " columns; the header has " + header.size();
    }
    row.clear();
    String problem = required(fields, user);
    if (problem == null) {
      problem = required(fields, assistant);
    }
    if (problem != null) {
      return problem;
    }
    if (mapping.systemPrompt() != null) {
      row.add(ChatRowBuffer.SYSTEM, row.copyText(mapping.systemPrompt()));
    } else if (system >= 0 && !fields.get(system).isBlank()) {
      row.add(ChatRowBuffer.SYSTEM, row.copyText(fields.get(system)));
    }
    row.add(ChatRowBuffer.USER, row.copyText(fields.get(user)));
    row.add(ChatRowBuffer.ASSISTANT, row.copyText(fields.get(assistant)));
    return null;
  }

  private @Nullable String required(List<String> fields, int column) {
    return fields.get(column).isBlank()
        ? "the \"" + header.get(column) + "\" cell (column " + (column + 1) + ") is empty"
        : null;
  }

  /** The row's split cell; null when there is no split column. */
  @Nullable String split(List<String> fields) {
    return split < 0 ? null : fields.get(split);
  }
}
