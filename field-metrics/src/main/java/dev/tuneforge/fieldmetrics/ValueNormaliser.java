package dev.tuneforge.fieldmetrics;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a field value to a canonical form so that values written differently but meaning the same
 * compare equal: an amount, then a day-first date, else text without case and punctuation.
 */
public final class ValueNormaliser {
  private static final Pattern SPACE = Pattern.compile("(?U)\\s+");
  private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}+");
  private static final Pattern AMOUNT =
      Pattern.compile(
          "(?:rm|myr|usd|sgd|eur|gbp|[$€£¥])?\\s*([+-]?)((?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|\\.\\d+)");
  private static final Pattern DAY_MONTH_YEAR =
      Pattern.compile("(\\d{1,2})([-/.])(\\d{1,2})\\2(\\d{4}|\\d{2})");
  private static final Pattern YEAR_MONTH_DAY =
      Pattern.compile("(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})");
  private static final Pattern DAY_NAME_YEAR =
      Pattern.compile("(\\d{1,2})(?:st|nd|rd|th)?[\\s-]*([a-z]+)\\.?[\\s,-]*(\\d{4}|\\d{2})");
  private static final Pattern NAME_DAY_YEAR =
      Pattern.compile("([a-z]+)\\.?\\s*(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})");
  private static final List<String> MONTHS =
      List.of(
          "january",
          "february",
          "march",
          "april",
          "may",
          "june",
          "july",
          "august",
          "september",
          "october",
          "november",
          "december");

  private ValueNormaliser() {}

  /** Which rule {@link #normalise} applies to a value. */
  public enum Rule {
    AMOUNT(
        "amounts: currency (RM, MYR, USD, $ …), thousands separators and trailing zeros are"
            + " ignored, so RM31.80 = 31.8"),
    DATE(
        "dates: read day first in any accepted form and compared as yyyy-mm-dd, so 25/12/18 ="
            + " 25 Dec 2018"),
    TEXT(
        "text: case, Unicode compatibility forms, runs of spaces and punctuation are ignored, so"
            + " NO. 89, JALAN = no 89 jalan");

    public final String description;

    Rule(String description) {
      this.description = description;
    }
  }

  public static Rule rule(String value) {
    String folded = fold(value);
    if (amount(folded).isPresent()) {
      return Rule.AMOUNT;
    }
    return date(folded).isPresent() ? Rule.DATE : Rule.TEXT;
  }

  public static String normalise(String value) {
    String folded = fold(value);
    Optional<String> canonical = amount(folded).or(() -> date(folded));
    return canonical.orElseGet(() -> collapse(PUNCTUATION.matcher(folded).replaceAll(" ")));
  }

  /** Whether two field values mean the same: equal after {@link #normalise}. */
  public static boolean sameValue(String expected, String predicted) {
    return normalise(expected).equals(normalise(predicted));
  }

  /** Unicode compatibility form, case-folded, whitespace collapsed and trimmed. */
  public static String fold(String value) {
    String compatible = Normalizer.normalize(value, Normalizer.Form.NFKC);
    return collapse(compatible.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT));
  }

  private static String collapse(String value) {
    return SPACE.matcher(value).replaceAll(" ").strip();
  }

  static Optional<String> amount(String folded) {
    Matcher m = AMOUNT.matcher(folded);
    if (!m.matches()) {
      return Optional.empty();
    }
    BigDecimal number =
        new BigDecimal(m.group(1) + m.group(2).replace(",", "")).stripTrailingZeros();
    if (number.signum() == 0) {
      number = BigDecimal.ZERO;
    }
    return Optional.of(number.toPlainString());
  }

  static Optional<String> date(String folded) {
    Matcher m = DAY_MONTH_YEAR.matcher(folded);
    if (m.matches()) {
      return day(year(m.group(4)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(1)));
    }
    m = YEAR_MONTH_DAY.matcher(folded);
    if (m.matches()) {
      return day(
          Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
    }
    m = DAY_NAME_YEAR.matcher(folded);
    if (m.matches()) {
      int month = month(m.group(2));
      return month == 0
          ? Optional.empty()
          : day(year(m.group(3)), month, Integer.parseInt(m.group(1)));
    }
    m = NAME_DAY_YEAR.matcher(folded);
    if (m.matches()) {
      int month = month(m.group(1));
      return month == 0
          ? Optional.empty()
          : day(Integer.parseInt(m.group(3)), month, Integer.parseInt(m.group(2)));
    }
    return Optional.empty();
  }

  private static int year(String digits) {
    int year = Integer.parseInt(digits);
    return digits.length() == 2 ? 2000 + year : year;
  }

  private static int month(String name) {
    for (int i = 0; i < MONTHS.size(); i++) {
      String full = MONTHS.get(i);
      if (name.equals(full)
          || name.equals(full.substring(0, 3))
          || (i == 8 && name.equals("sept"))) {
        return i + 1;
      }
    }
    return 0;
  }

  private static Optional<String> day(int year, int month, int day) {
    try {
      return Optional.of(LocalDate.of(year, month, day).toString());
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}
