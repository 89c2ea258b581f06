package dev.tuneforge.app.synthetic;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One field to extract: its JSON key, type, the description the model is given, and example values
 * that steer generation (an enum's allowed values, an id's pattern, a money range).
 */
public record FieldSpec(String name, FieldType type, String description, List<String> examples) {
  static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  static final int MAX_EXAMPLES = 50;

  public FieldSpec {
    name = name.strip();
    description = description.strip();
    examples = examples.stream().map(String::strip).filter(e -> !e.isEmpty()).toList();
  }

  public FieldSpec(String name, FieldType type, String description) {
    this(name, type, description, List.of());
  }

  /** What is wrong with this field, naming it; null when it is fine. */
  public @Nullable String problem() {
    if (!NAME.matcher(name).matches()) {
      return "Field name '"
          + name
          + "' must start with a letter or _ and have only letters, digits and _ (at most 64)";
    }
    if (examples.size() > MAX_EXAMPLES) {
      return "Field '" + name + "' has " + examples.size() + " examples; at most " + MAX_EXAMPLES;
    }
    if (type == FieldType.ENUM && examples.isEmpty()) {
      return "Field '" + name + "' is an enum: list its allowed values as examples";
    }
    for (String example : examples) {
      if (example.contains("\n") || example.contains("\r")) {
        return "Example of field '" + name + "' spans several lines; give one value per example";
      }
      String bad =
          switch (type) {
            case MONEY, NUMBER -> amount(example) == null ? "is not a number" : null;
            case DATE ->
                DateStyle.matching(example).isEmpty()
                    ? "is not a date in a known format (" + DateStyle.examples() + ")"
                    : null;
            default -> null;
          };
      if (bad != null) {
        return "Example '" + example + "' of field '" + name + "' " + bad;
      }
    }
    return null;
  }

  /**
   * An example read as a number, ignoring currency signs and thousands separators; null if it is
   * none.
   */
  static @Nullable BigDecimal amount(String example) {
    String digits = example.replaceAll("[\\s$€£,]|USD|EUR|GBP", "");
    try {
      return new BigDecimal(digits);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
