package dev.tuneforge.app.dataset.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenLengthSummariesTest {

  @Test
  void percentilesAreNearestRankAndTruncationCountsRowsLongerThanTheMaximum() {
    int[] lengths = IntStream.rangeClosed(1, 100).map(i -> i * 10).toArray();
    TokenLengths.Summary s = TokenLengthSummaries.of(lengths, 900, 5000, 42, 3, 950);

    assertThat(s.rows()).isEqualTo(100);
    assertThat(s.p50()).isEqualTo(500);
    assertThat(s.p90()).isEqualTo(900);
    assertThat(s.p99()).isEqualTo(990);
    assertThat(s.maxTokens()).isEqualTo(1000);
    assertThat(s.meanTokens()).isEqualTo(505.0);
    assertThat(s.truncatedRows())
        .as("a row of exactly the maximum length is not cut")
        .isEqualTo(10);
    assertThat(s.truncatedPercent()).isEqualTo(10.0);
    assertThat(s.assistantTokensLost()).isEqualTo(42);
    assertThat(s.droppedRows()).isEqualTo(3);
    assertThat(s.keepsEveryRow()).isEqualTo(950);
    assertThat(s.rowsOver())
        .as("rows longer than each usual limit, exactly")
        .containsEntry(512, 49)
        .containsEntry(1024, 0)
        .containsEntry(2048, 0)
        .containsEntry(4096, 0);
  }

  @Test
  void theHistogramHasRoundBinsCoveringEveryRowAndTheMaximumLength() {
    int[] lengths = {3, 120, 130, 2047, 2048, 2049, 5000};
    TokenLengths.Summary s = TokenLengthSummaries.of(lengths, 2048, 0, 0, 0, 0);
    assertThat(s.rowsOver()).containsEntry(1024, 4).containsEntry(2048, 2).containsEntry(4096, 1);

    assertThat(s.histogram()).allSatisfy(bin -> assertThat(bin.to() - bin.from()).isEqualTo(500));
    assertThat(s.histogram().getFirst().from()).isZero();
    assertThat(s.histogram().getLast().to()).isGreaterThan(5000);
    assertThat(s.histogram().stream().mapToInt(TokenLengths.Bin::rows).sum())
        .isEqualTo(lengths.length);
    assertThat(s.histogram().getFirst().rows()).isEqualTo(3);
    assertThat(s.histogram().size()).isBetween(8, TokenLengthSummaries.TARGET_BINS + 1);
  }

  @Test
  void noRowsGiveZerosAndBinsUpToTheMaximumLength() {
    TokenLengths.Summary s = TokenLengthSummaries.of(new int[0], 64, 0, 0, 0, 0);
    assertThat(s.p99()).isZero();
    assertThat(s.truncatedPercent()).isZero();
    assertThat(s.histogram().getLast().to()).isGreaterThanOrEqualTo(64);
  }
}
