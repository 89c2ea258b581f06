package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.PromptMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyFiguresTest {

  private static EvaluationExample timed(
      int tokens, double firstToken, Double rate, int tunedTokens, double tunedFirstToken) {
    return new EvaluationExample(
        0,
        List.of(new PromptMessage("user", "q")),
        "{}",
        "b",
        "t",
        tokens,
        tunedTokens,
        "eos",
        "length",
        firstToken,
        rate,
        tunedFirstToken,
        null);
  }

  @Test
  void nearestRankPercentilesOfEachModelsTimingsAndLengths() {
    LatencyFigures figures =
        LatencyFigures.of(
            List.of(
                timed(10, 0.1, 50.0, 1, 0.2),
                timed(30, 0.5, 40.0, 2, 0.2),
                timed(20, 0.2, null, 3, 0.2),
                timed(50, 0.4, 20.0, 4, 0.2),
                timed(40, 0.3, 30.0, 100, 0.2)),
            "cpu");

    assertThat(figures.device()).isEqualTo("cpu");
    // 5 values: p50 is the 3rd smallest, p90 the 5th (ranks ⌈2.5⌉ and ⌈4.5⌉).
    assertThat(figures.base().firstTokenSeconds())
        .isEqualTo(new LatencyFigures.Distribution(5, 0.3, 0.5, 0.5));
    // An answer of one token has no decode rate: 4 values, ranks 2 and 4.
    assertThat(figures.base().tokensPerSecond())
        .isEqualTo(new LatencyFigures.Distribution(4, 30.0, 50.0, 50.0));
    assertThat(figures.base().outputTokens())
        .isEqualTo(new LatencyFigures.Distribution(5, 30.0, 50.0, 50.0));
    assertThat(figures.tuned().outputTokens())
        .isEqualTo(new LatencyFigures.Distribution(5, 3.0, 100.0, 100.0));
    assertThat(figures.tuned().tokensPerSecond()).as("no tuned answer has a rate").isNull();
  }

  @Test
  void generationsFromBeforeTimingsHaveLengthsOnly() {
    LatencyFigures figures =
        LatencyFigures.of(
            List.of(EvaluationScoresTest.example(0, "{\"a\":\"1\"}", "x", "y")), null);
    assertThat(figures.base().firstTokenSeconds()).isNull();
    assertThat(figures.base().outputTokens())
        .isEqualTo(new LatencyFigures.Distribution(1, 5.0, 5.0, 5.0));
  }
}
