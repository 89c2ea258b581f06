package dev.tuneforge.app.synthetic;

import java.util.Locale;
import java.util.Random;

/**
 * Field names as documents label them: {@code invoice_number} → "invoice no.", "invoice number",
 * "invoice #".
 */
final class Labels {
  private Labels() {}

  static String words(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2")
        .replace('_', ' ')
        .strip()
        .replaceAll(" +", " ")
        .toLowerCase(Locale.ROOT);
  }

  static String variant(String name, Random random) {
    String words = words(name);
    if (words.endsWith(" number") && random.nextBoolean()) {
      return words.substring(0, words.length() - "number".length())
          + (random.nextBoolean() ? "no." : "#");
    }
    return words;
  }

  /** Letters and digits only, for telling whether two labels say the same. */
  static String key(String label) {
    return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }
}
