package dev.tuneforge.fieldmetrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A model output read as a JSON object: its flattened leaves by key path ({@code a.b}, {@code
 * items[0].name}), or the reason it is not valid.
 */
public record ParsedOutput(boolean valid, Map<String, String> fields, @Nullable String problem) {
  public ParsedOutput {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  static ParsedOutput invalid(String problem) {
    return new ParsedOutput(false, Map.of(), problem);
  }
}
