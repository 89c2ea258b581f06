package dev.tuneforge.modelformat.folder;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** The model card, README.md, whose YAML front matter the hub fills in: here only its licence. */
final class ModelCard {

  static final String README = "README.md";
  private static final String FENCE = "---";

  private ModelCard() {}

  /** The {@code license:} of the front matter, or null when the card or the field is absent. */
  static @Nullable String licence(FolderFiles files) throws IOException {
    if (!files.has(README)) {
      return null;
    }
    String[] lines = files.text(README).split("\\R", -1);
    if (lines.length == 0 || !lines[0].strip().equals(FENCE)) {
      return null;
    }
    for (int i = 1; i < lines.length && !lines[i].strip().equals(FENCE); i++) {
      if (lines[i].startsWith("license:")) {
        String value = unquote(lines[i].substring("license:".length()).strip());
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
