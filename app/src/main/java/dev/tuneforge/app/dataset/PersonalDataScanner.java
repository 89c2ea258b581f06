package dev.tuneforge.app.dataset;

import java.math.BigInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in message text: emails, phone numbers, payment card numbers (Luhn-valid)
 * and IBANs (mod-97 valid). Deliberately conservative: a digit run only counts when its checksum
 * holds or it is written the way phone numbers are written, so dates, totals and ids pass.
 */
final class PersonalDataScanner {
  enum Kind {
    EMAIL("[EMAIL]"),
    IBAN("[IBAN]"),
    CARD("[CARD]"),
    PHONE("[PHONE]");

    final String placeholder;

    Kind(String placeholder) {
      this.placeholder = placeholder;
    }
  }

  private static final Pattern EMAIL =
      Pattern.compile("(?<![\\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b");
  private static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b");
  private static final Pattern CARD = Pattern.compile("(?<![\\w-])\\d(?:[ -]?\\d){12,18}(?![\\w-])");
  /** International (+ country code) or a local number with an area code in parentheses or a leading 0. */
  private static final Pattern PHONE =
      Pattern.compile("(?<![\\w+])(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){2,4}"
          + "|\\(0?\\d{2,4}\\)[ .-]?\\d{3,4}[ .-]?\\d{3,4}"
          + "|0\\d{1,3}[ -]\\d{3,4}[ -]?\\d{3,4})(?![\\w-])");

  /** Told of each valid match. */
  interface Found {
    void found(Kind kind);
  }

  private PersonalDataScanner() {}

  /**
   * Reports each finding in {@code text}; returns the text with findings replaced when {@code
   * redact}. Each kind is looked for in the text with the earlier kinds already replaced, so that an
   * IBAN's digits are not counted again as a card or phone number.
   */
  static String scan(String text, boolean redact, Found found) {
    String result = text;
    if (result.indexOf('@') >= 0) {
      result = apply(EMAIL, Kind.EMAIL, result, found, m -> true);
    }
    // Each regex runs only where a match is possible at all: a run of the characters it is made of
    // holding enough digits (or symbols). A cheap scan of the text decides; most text has no such run.
    if (digits(result) >= 8) {
      if (hasRun(result, PersonalDataScanner::ibanChar, c -> c != ' ', 15)) {
        result = apply(IBAN, Kind.IBAN, result, found, PersonalDataScanner::ibanValid);
      }
      if (hasRun(result, c -> isDigit(c) || c == ' ' || c == '-', PersonalDataScanner::isDigit, 13)) {
        result = apply(CARD, Kind.CARD, result, found, PersonalDataScanner::cardValid);
      }
      if (hasRun(result, c -> isDigit(c) || " .-()+".indexOf(c) >= 0, PersonalDataScanner::isDigit, 9)) {
        result = apply(PHONE, Kind.PHONE, result, found, PersonalDataScanner::phoneLike);
      }
    }
    return redact ? result : text;
  }

  private static String apply(Pattern pattern, Kind kind, String text, Found found, Predicate<String> valid) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      if (!valid.test(m.group())) {
        continue;
      }
      found.found(kind);
      out = out == null ? new StringBuilder(text.length()) : out;
      out.append(text, last, m.start()).append(kind.placeholder);
      last = m.end();
    }
    if (out == null) {
      return text;
    }
    return out.append(text, last, text.length()).toString();
  }

  static boolean cardValid(String candidate) {
    String digits = candidate.replaceAll("[ -]", "");
    if (digits.length() < 13 || digits.length() > 19 || digits.chars().distinct().count() < 2) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 1) {
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
    }
    return sum % 10 == 0;
  }

  static boolean ibanValid(String candidate) {
    String iban = candidate.replace(" ", "");
    if (iban.length() < 15 || iban.length() > 34) {
      return false;
    }
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    StringBuilder numeric = new StringBuilder();
    for (char c : rearranged.toCharArray()) {
      numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
  }

  private static boolean phoneLike(String candidate) {
    long digits = candidate.chars().filter(Character::isDigit).count();
    return digits >= 9 && digits <= 15;
  }

  private interface CharTest {
    boolean test(char c);
  }

  /** Whether {@code text} has a run of {@code member} characters with at least {@code min} {@code counted} ones. */
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

  private static boolean ibanChar(char c) {
    return (c >= 'A' && c <= 'Z') || isDigit(c) || c == ' ';
  }

  private static int digits(String text) {
    int n = 0;
    for (int i = 0; i < text.length() && n < 8; i++) {
      n += Character.isDigit(text.charAt(i)) ? 1 : 0;
    }
    return n;
  }
}
