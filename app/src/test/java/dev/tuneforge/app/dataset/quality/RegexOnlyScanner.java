package dev.tuneforge.app.dataset.quality;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link PersonalDataScanner} as it was before its one-pass pre-scan: the same regexes and
 * checksums, gated by one plain scan of the text per kind. The reference the pre-scan must agree
 * with. The gate counts ASCII digits only, as the patterns' {@code \\d} does (it once counted every
 * Unicode digit, which no pattern can match).
 */
final class RegexOnlyScanner {
  private static final Pattern EMAIL =
      Pattern.compile(
          "(?<![\\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b");
  private static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b");
  private static final Pattern CARD =
      Pattern.compile("(?<![\\w-])\\d(?:[ -]?\\d){12,18}(?![\\w-])");
  private static final Pattern PHONE =
      Pattern.compile(
          "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){2,4}"
              + "|\\(0?\\d{2,4}\\)[ .-]?\\d{3,4}[ .-]?\\d{3,4}"
              + "|0\\d{1,3}[ -]\\d{3,4}[ -]?\\d{3,4})(?![\\w-])");

  private RegexOnlyScanner() {}

  static String scan(String text, boolean redact, PersonalDataScanner.Found found) {
    String result = text;
    if (result.indexOf('@') >= 0) {
      result = apply(EMAIL, PersonalDataScanner.Kind.EMAIL, result, found, m -> true);
    }
    if (digits(result) >= 8) {
      if (hasRun(
          result, c -> (c >= 'A' && c <= 'Z') || isDigit(c) || c == ' ', c -> c != ' ', 15)) {
        result =
            apply(
                IBAN, PersonalDataScanner.Kind.IBAN, result, found, PersonalDataScanner::ibanValid);
      }
      if (hasRun(result, c -> isDigit(c) || c == ' ' || c == '-', RegexOnlyScanner::isDigit, 13)) {
        result =
            apply(
                CARD, PersonalDataScanner.Kind.CARD, result, found, PersonalDataScanner::cardValid);
      }
      if (hasRun(
          result, c -> isDigit(c) || " .-()+".indexOf(c) >= 0, RegexOnlyScanner::isDigit, 9)) {
        result =
            apply(
                PHONE, PersonalDataScanner.Kind.PHONE, result, found, RegexOnlyScanner::phoneLike);
      }
    }
    return redact ? result : text;
  }

  private static String apply(
      Pattern pattern,
      PersonalDataScanner.Kind kind,
      String text,
      PersonalDataScanner.Found found,
      Predicate<String> valid) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      if (valid.test(m.group())) {
        found.found(kind);
        out.append(text, last, m.start()).append(kind.placeholder);
        last = m.end();
      }
    }
    return out.append(text, last, text.length()).toString();
  }

  private static boolean phoneLike(String candidate) {
    long digits = candidate.chars().filter(Character::isDigit).count();
    return digits >= 9 && digits <= 15;
  }

  private interface CharTest {
    boolean test(char c);
  }

  private static boolean hasRun(String text, CharTest member, CharTest counted, int min) {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!member.test(c)) {
        count = 0;
      } else if (counted.test(c) && ++count >= min) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int digits(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      n += isDigit(text.charAt(i)) ? 1 : 0;
    }
    return n;
  }
}
