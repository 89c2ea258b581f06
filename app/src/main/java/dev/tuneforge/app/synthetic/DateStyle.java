package dev.tuneforge.app.synthetic;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The ways documents write dates; a date field's examples pick which of them are used. */
enum DateStyle {
  ISO("uuuu-MM-dd"),
  DAY_MONTH_SLASH("dd/MM/uuuu"),
  MONTH_DAY_SLASH("MM/dd/uuuu"),
  DAY_MONTH_DOT("dd.MM.uuuu"),
  MONTH_NAME_FIRST("MMM d, uuuu"),
  DAY_MONTH_NAME("d MMMM uuuu"),
  DAY_MON_YEAR("dd-MMM-uuuu");

  private final DateTimeFormatter format;
  private final String pattern;

  DateStyle(String pattern) {
    this.pattern = pattern;
    this.format =
        DateTimeFormatter.ofPattern(pattern, Locale.US).withResolverStyle(ResolverStyle.STRICT);
  }

  String format(LocalDate date) {
    return format.format(date);
  }

  /** The styles in which {@code text} is a valid date. */
  static List<DateStyle> matching(String text) {
    return Arrays.stream(values()).filter(style -> style.parses(text)).toList();
  }

  private boolean parses(String text) {
    try {
      LocalDate.parse(text, format);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** One example of each style, for error messages and docs. */
  static String examples() {
    LocalDate sample = LocalDate.of(2024, 3, 15);
    return Arrays.stream(values()).map(s -> s.format(sample)).collect(Collectors.joining(", "));
  }

  String pattern() {
    return pattern;
  }
}
