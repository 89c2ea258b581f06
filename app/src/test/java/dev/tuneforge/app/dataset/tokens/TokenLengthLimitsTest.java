package dev.tuneforge.app.dataset.tokens;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** One token count is capped in size and time, and the failure names the limit. */
class TokenLengthLimitsTest {
  private final TokenLengthLimits limits =
      new TokenLengthLimits(DataSize.ofMegabytes(10), Duration.ofMinutes(30));

  @Test
  void aTrainingFileOverTheSizeIsRefusedBeforeItIsFetched() {
    assertThatCode(() -> limits.checkSize(10L << 20)).doesNotThrowAnyException();
    assertThatThrownBy(() -> limits.checkSize(25L << 20))
        .isInstanceOf(TokenLengthLimits.TooLarge.class)
        .hasMessage(
            "The training file is 25.0 MB; a token count reads at most 10.0 MB"
                + " (tuneforge.token-lengths.max-file-size)");
  }

  @Test
  void aCountOverItsTimeStopsWithTheRowsItDid() {
    Instant started = Instant.parse("2026-01-01T00:00:00Z");
    assertThatCode(() -> limits.checkTime(started, started.plus(Duration.ofMinutes(30)), 5, 10))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> limits.checkTime(started, started.plus(Duration.ofMinutes(31)), 1024, 50_000))
        .isInstanceOf(TokenLengthLimits.TooLarge.class)
        .hasMessage(
            "Counting stopped after 1024 of 50000 rows: a token count may take 30 min at most"
                + " (tuneforge.token-lengths.max-duration)");
  }
}
