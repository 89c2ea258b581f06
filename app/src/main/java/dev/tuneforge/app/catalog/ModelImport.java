package dev.tuneforge.app.catalog;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a person says of a model they import; everything else is read from its files.
 *
 * @param name the Hugging Face id, {@code owner/name} (such as {@code Qwen/Qwen3-0.6B}) or a bare
 *     name as the hub's oldest models have
 * @param revision the branch, tag or commit it was taken at, or null
 * @param displayName what lists show instead of the id, or null
 * @param description a sentence for the catalogue page, or null
 */
public record ModelImport(
    String name,
    @Nullable String revision,
    @Nullable String displayName,
    @Nullable String description) {

  private static final Pattern PART =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?");
  private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");

  /**
   * @throws IllegalArgumentException saying which field is wrong and what it should look like
   */
  public ModelImport {
    // JSON bodies may leave the name out.
    name = Objects.requireNonNullElse((@Nullable String) name, "").strip();
    revision = blankToNull(revision);
    displayName = blankToNull(displayName);
    description = blankToNull(description);
    if (!isHuggingFaceId(name)) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a Hugging Face id: write owner/name, such as Qwen/Qwen3-0.6B (letters,"
              + " digits, '.', '_' and '-'; no '--' or '..')");
    }
    if (revision != null && (!REVISION.matcher(revision).matches() || revision.contains(".."))) {
      throw new IllegalArgumentException(
          "'" + revision + "' is not a revision: give a branch, tag or commit such as main");
    }
    if (displayName != null && displayName.length() > 200) {
      throw new IllegalArgumentException("A display name has at most 200 characters");
    }
    if (description != null && description.length() > 500) {
      throw new IllegalArgumentException("A description has at most 500 characters");
    }
  }

  public static ModelImport of(String name) {
    return new ModelImport(name, null, null, null);
  }

  static boolean isHuggingFaceId(String id) {
    String[] parts = id.split("/", -1);
    if (parts.length > 2 || id.contains("--") || id.contains("..")) {
      return false;
    }
    for (String part : parts) {
      if (!PART.matcher(part).matches()) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable String blankToNull(@Nullable String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
