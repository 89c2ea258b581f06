package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenMetricsTest {

  @Test
  void perplexityIsExpOfTheMeanLoss() {
    assertThat(TokenMetrics.perplexity(List.of(0.0))).isEqualTo(1.0);
    assertThat(TokenMetrics.perplexity(List.of(1.0, 3.0))).isCloseTo(Math.exp(2.0), within(1e-9));
    // A uniform guess over 32 000 tokens has loss ln(32000) and perplexity 32 000.
    assertThat(TokenMetrics.perplexity(List.of(Math.log(32_000)))).isCloseTo(32_000, within(1e-6));
  }

  @Test
  void perplexityRefusesNoLossesAndNonsense() {
    assertThatThrownBy(() -> TokenMetrics.perplexity(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenMetrics.perplexity(List.of(Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenMetrics.perplexity(List.of(-1.0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tokenAccuracySkipsIgnoredPositions() {
    int[] expected = {-100, -100, 5, 6, 7, 8};
    int[] predicted = {1, 2, 5, 6, 0, 8};
    assertThat(TokenMetrics.tokenAccuracy(predicted, expected)).isCloseTo(0.75, within(1e-9));
    assertThat(TokenMetrics.tokenAccuracy(new int[] {1, 2}, new int[] {1, 2})).isEqualTo(1.0);
  }

  @Test
  void tokenAccuracyRefusesMismatchedOrUnlabelledSequences() {
    assertThatThrownBy(() -> TokenMetrics.tokenAccuracy(new int[] {1}, new int[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenMetrics.tokenAccuracy(new int[] {1}, new int[] {-100}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
