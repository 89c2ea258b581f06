package dev.tuneforge.app.synthetic;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import net.datafaker.Faker;

/**
 * Realistic values for each field type from a seeded {@link Faker} and {@link Random}. Dates come
 * from the seeded random, never from the clock, so the same seed gives the same values.
 */
final class FieldValues {
  private static final LocalDate FIRST_DAY = LocalDate.of(2019, 1, 1);
  private static final int DAYS = 8 * 365;
  private static final List<String> PAYMENT_METHODS =
      List.of("Cash", "Visa", "Mastercard", "Debit card", "Bank transfer", "PayPal");
  private static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP", "CAD", "AUD", "CHF");

  private final Faker faker;
  private final Random random;

  FieldValues(Faker faker, Random random) {
    this.faker = faker;
    this.random = random;
  }

  /**
   * A value of {@code field} as the document writes it; {@code dateStyle} is the document's
   * default.
   */
  String value(FieldSpec field, DateStyle dateStyle) {
    List<String> examples = field.examples();
    return switch (field.type()) {
      case ENUM -> pick(examples);
      case STRING -> examples.isEmpty() ? string(field.name()) : pick(examples);
      case COMPANY ->
          examples.isEmpty() || random.nextBoolean() ? faker.company().name() : pick(examples);
      case PERSON ->
          examples.isEmpty() || random.nextBoolean()
              ? faker.name().firstName() + " " + faker.name().lastName()
              : pick(examples);
      case ADDRESS -> examples.isEmpty() || random.nextBoolean() ? address() : pick(examples);
      case EMAIL -> faker.internet().emailAddress();
      case PHONE -> faker.phoneNumber().phoneNumber();
      case ID -> examples.isEmpty() ? defaultId(field.name()) : likeExample(pick(examples));
      case DATE -> date(examples.isEmpty() ? dateStyle : dateStyleOf(examples, dateStyle));
      case MONEY -> money(field, 1, 1000).toPlainString();
      case NUMBER -> number(field);
    };
  }

  LocalDate dateValue() {
    return FIRST_DAY.plusDays(random.nextInt(DAYS));
  }

  String date(DateStyle style) {
    return style.format(dateValue());
  }

  /**
   * An amount within the examples' range, or {@code [low, high)} without examples, with two
   * decimals.
   */
  BigDecimal money(FieldSpec field, double low, double high) {
    double[] range = range(field, low, high);
    return amount(range[0] + random.nextDouble() * (range[1] - range[0]));
  }

  static BigDecimal amount(double value) {
    return BigDecimal.valueOf(Math.max(0.01, value)).setScale(2, RoundingMode.HALF_UP);
  }

  private String number(FieldSpec field) {
    double[] range = range(field, 1, 100);
    int scale =
        field.examples().stream()
            .map(FieldSpec::amount)
            .filter(Objects::nonNull)
            .mapToInt(n -> Math.max(0, n.scale()))
            .max()
            .orElse(0);
    double value = range[0] + random.nextDouble() * (range[1] - range[0]);
    return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }

  private double[] range(FieldSpec field, double low, double high) {
    List<BigDecimal> known =
        field.examples().stream().map(FieldSpec::amount).filter(Objects::nonNull).toList();
    if (known.isEmpty()) {
      return new double[] {low, high};
    }
    double min = known.stream().mapToDouble(BigDecimal::doubleValue).min().orElse(low);
    double max = known.stream().mapToDouble(BigDecimal::doubleValue).max().orElse(high);
    if (min == max) {
      return new double[] {min / 3, Math.max(max * 3, min + 1)};
    }
    return new double[] {min, max};
  }

  private DateStyle dateStyleOf(List<String> examples, DateStyle fallback) {
    List<DateStyle> styles = DateStyle.matching(pick(examples));
    return styles.isEmpty() ? fallback : styles.get(random.nextInt(styles.size()));
  }

  private String address() {
    var a = faker.address();
    return a.streetAddress() + ", " + a.city() + ", " + a.stateAbbr() + " " + a.zipCode();
  }

  /** A value for a free-text field, guessed from its name where the name is telling. */
  private String string(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.contains("city")) {
      return faker.address().city();
    }
    if (n.contains("country")) {
      return faker.address().country();
    }
    if (n.contains("currency")) {
      return pick(CURRENCIES);
    }
    if (n.contains("payment") || n.contains("method")) {
      return pick(PAYMENT_METHODS);
    }
    if (n.contains("product") || n.contains("item")) {
      return faker.commerce().productName();
    }
    if (n.contains("title") || n.contains("subject") || n.contains("topic")) {
      return faker.company().catchPhrase();
    }
    return faker.commerce().productName();
  }

  /** An id shaped like the example: digits become digits, letters letters; the rest is kept. */
  String likeExample(String example) {
    StringBuilder out = new StringBuilder(example.length());
    for (char c : example.toCharArray()) {
      if (Character.isDigit(c)) {
        out.append((char) ('0' + random.nextInt(10)));
      } else if (c >= 'A' && c <= 'Z') {
        out.append((char) ('A' + random.nextInt(26)));
      } else if (c >= 'a' && c <= 'z') {
        out.append((char) ('a' + random.nextInt(26)));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private String defaultId(String name) {
    String letters = name.replaceAll("[^A-Za-z]", "").toUpperCase(Locale.ROOT);
    String prefix = letters.length() >= 3 ? letters.substring(0, 3) : "ID";
    return prefix + "-" + (100000 + random.nextInt(900000));
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  Faker faker() {
    return faker;
  }

  Random random() {
    return random;
  }
}
