package dev.tuneforge.app.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Amounts as people read them: cents for large amounts, four decimals for the small ones CPU nodes
 * cost, and more where the amount has them (costs are kept to the millionth, so a few bought tokens
 * show before they add up to a cent).
 */
public final class Money {
  private Money() {}

  public static String format(BigDecimal amount, String currency) {
    return plain(amount) + " " + currency;
  }

  public static String plain(BigDecimal amount) {
    int least = amount.abs().compareTo(BigDecimal.ONE) >= 0 || amount.signum() == 0 ? 2 : 4;
    int scale = Math.max(least, Math.min(6, amount.stripTrailingZeros().scale()));
    return amount.setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }

  /**
   * {@code prompt} and {@code completion} tokens at their prices per 1,000 tokens, to the
   * millionth.
   *
   * @throws IllegalArgumentException for a negative count of tokens
   */
  public static BigDecimal tokens(
      long prompt, long completion, BigDecimal promptPer1k, BigDecimal completionPer1k) {
    if (prompt < 0 || completion < 0) {
      throw new IllegalArgumentException(
          "Tokens are never negative, not " + prompt + " and " + completion);
    }
    return promptPer1k
        .multiply(BigDecimal.valueOf(prompt))
        .add(completionPer1k.multiply(BigDecimal.valueOf(completion)))
        .divide(BigDecimal.valueOf(1000), 6, RoundingMode.HALF_UP);
  }

  /** {@code price} per hour for {@code seconds}, to the millionth. */
  static BigDecimal cost(BigDecimal pricePerHour, long seconds) {
    return pricePerHour
        .multiply(BigDecimal.valueOf(seconds))
        .divide(BigDecimal.valueOf(3600), 6, RoundingMode.HALF_UP);
  }
}
