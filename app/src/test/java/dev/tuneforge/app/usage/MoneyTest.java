package dev.tuneforge.app.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void largeAmountsShowCentsAndSmallOnesFourDecimals() {
    assertThat(Money.format(new BigDecimal("12.500000"), "USD")).isEqualTo("12.50 USD");
    assertThat(Money.plain(new BigDecimal("0.080000"))).isEqualTo("0.0800");
    assertThat(Money.plain(BigDecimal.ZERO)).isEqualTo("0.00");
  }

  @Test
  void aFewBoughtTokensShowBeforeTheyAddUpToACent() {
    BigDecimal judged =
        Money.tokens(30, 5, new BigDecimal("0.0005"), new BigDecimal("0.0015")); // 0.0000225

    assertThat(Money.plain(judged)).isEqualTo("0.000023");
    assertThat(Money.plain(new BigDecimal("12.00").add(judged))).isEqualTo("12.000023");
    assertThat(Money.plain(new BigDecimal("0.000150"))).isEqualTo("0.00015");
  }
}
