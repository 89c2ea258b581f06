package dev.tuneforge.app.synthetic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One document before it is written out: each field's value and whether it is left out, the
 * distractors, the line items and the way labels are written.
 */
final class Draft {
  /** A field's value; an omitted one is not written and is null in the ground truth. */
  record Entry(FieldSpec field, String value, boolean omitted, String label) {
    boolean shown() {
      return !omitted;
    }
  }

  /** A value that looks like a field's but is labelled as something else. */
  record Distractor(FieldType type, String label, String value) {}

  record LineItem(String description, int quantity, BigDecimal unitPrice, BigDecimal amount) {}

  enum LabelCase {
    TITLE,
    UPPER,
    SENTENCE
  }

  final DocumentKind kind;
  final List<Entry> entries = new ArrayList<>();
  final List<Distractor> distractors = new ArrayList<>();
  final List<LineItem> items = new ArrayList<>();
  final LabelCase labelCase;
  final String separator;
  final String currency;

  Draft(DocumentKind kind, LabelCase labelCase, String separator, String currency) {
    this.kind = kind;
    this.labelCase = labelCase;
    this.separator = separator;
    this.currency = currency;
  }

  /** The first shown entry of {@code type}, removed from {@code rest}; null if none. */
  @Nullable Entry takeFirst(List<Entry> rest, FieldType type) {
    for (Entry entry : rest) {
      if (entry.field().type() == type) {
        rest.remove(entry);
        return entry.shown() ? entry : null;
      }
    }
    return null;
  }

  /** A label as this document writes it. */
  String label(String words) {
    return switch (labelCase) {
      case UPPER -> words.toUpperCase(Locale.ROOT);
      case SENTENCE -> Character.toUpperCase(words.charAt(0)) + words.substring(1);
      case TITLE -> titleCase(words);
    };
  }

  String money(String amount) {
    return currency + amount;
  }

  private static String titleCase(String words) {
    StringBuilder out = new StringBuilder();
    for (String word : words.split(" ")) {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
    }
    return out.toString();
  }
}
