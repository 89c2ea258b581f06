package dev.tuneforge.app.synthetic;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What to generate: the fields, the document kind, how many rows, the seed (same spec and seed,
 * same bytes) and the noise level from 0 (clean) to 1 (OCR errors, omissions, distractors).
 */
public record GenerationSpec(
    List<FieldSpec> fields, DocumentKind kind, int count, long seed, double noise) {
  public static final int MAX_FIELDS = 30;

  public GenerationSpec {
    fields = List.copyOf(fields);
  }

  /** The first thing wrong with the spec, naming it; null when it can run. */
  public @Nullable String problem(int maxRows) {
    if (fields.isEmpty()) {
      return "Add at least one field to extract";
    }
    if (fields.size() > MAX_FIELDS) {
      return "At most " + MAX_FIELDS + " fields; this spec has " + fields.size();
    }
    Set<String> names = new HashSet<>();
    for (FieldSpec field : fields) {
      String problem = field.problem();
      if (problem != null) {
        return problem;
      }
      if (!names.add(field.name().toLowerCase(Locale.ROOT))) {
        return "Two fields are named '" + field.name() + "'; names must differ";
      }
    }
    if (count < 1 || count > maxRows) {
      return "The row count must be between 1 and " + maxRows + "; it is " + count;
    }
    if (!(noise >= 0 && noise <= 1)) {
      return "The noise level must be between 0 and 1; it is " + noise;
    }
    return null;
  }
}
