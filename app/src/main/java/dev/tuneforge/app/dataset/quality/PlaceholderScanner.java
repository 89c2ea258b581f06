package dev.tuneforge.app.dataset.quality;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds template placeholders left in data: {@code {{name}}}, {@code {customer_name}} where it
 * reads as a template variable, {@code <PLACEHOLDER>}-style tags, {@code [Insert ...]} brackets and
 * {@code TODO}/{@code FIXME}/lorem ipsum markers. Conservative: JSON objects, LaTeX and ordinary
 * brackets, chat special tokens and HTML do not match.
 */
final class PlaceholderScanner {
  /** Longest placeholder text kept as an example. */
  static final int EXAMPLE_CHARS = 40;

  private static final Pattern PLACEHOLDER =
      Pattern.compile(
          String.join(
              "|",
              // {{ name }}, {{user.name}}: Jinja, Mustache, Handlebars.
              "\\{\\{\\s*[A-Za-z_][\\w.]*\\s*}}",
              // {customer_name}: a lower-case variable of at least 3 characters, not LaTeX
              // (\frac{num}{den}), an exponent or a JSON object, nor inside double braces.
              "(?<![\\w\\\\$^_{}])\\{[a-z][a-z0-9_]{2,}}(?![{}])",
              // <PLACEHOLDER>, <YOUR_NAME>, <INSERT COMPANY>: upper-case tags HTML does not use.
              "<(?:PLACEHOLDER|INSERT[ _A-Z0-9]*|YOUR[ _][ _A-Z0-9]*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)>",
              // [Insert name here], [YOUR COMPANY], [placeholder]
              "\\[(?i:insert|your|fill in|placeholder|enter)\\b[^\\]\\n]{0,60}]",
              "\\b(?:TODO|FIXME)\\b",
              "(?i:\\blorem ipsum\\b)"));

  private PlaceholderScanner() {}

  /** The first placeholder in {@code text}, shortened to {@link #EXAMPLE_CHARS}. */
  static Optional<String> find(CharSequence text) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    if (!matcher.find()) {
      return Optional.empty();
    }
    String found = matcher.group();
    return Optional.of(
        found.length() <= EXAMPLE_CHARS ? found : found.substring(0, EXAMPLE_CHARS - 1) + "…");
  }

  /**
   * Whether {@link #find} may find something in {@code text[start, end)}, by a pass far cheaper
   * than the pattern: a brace or bracket, or the first letters of TODO, FIXME or lorem.
   */
  static boolean mayContain(char[] text, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = text[i];
      if (c == '{' || c == '<' || c == '[') {
        return true;
      }
      if ((c == 'T' && startsWith(text, i, end, "TODO"))
          || (c == 'F' && startsWith(text, i, end, "FIXME"))
          || ((c | 0x20) == 'l' && startsWith(text, i + 1, end, "orem "))) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(char[] text, int at, int end, String word) {
    if (end - at < word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if (text[at + k] != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
