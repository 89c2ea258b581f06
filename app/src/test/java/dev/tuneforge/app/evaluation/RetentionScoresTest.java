package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.protocol.PromptMessage;
import dev.tuneforge.protocol.RetentionExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetentionScoresTest {

  private static RetentionExample item(
      String expected, String base, String tuned, double baseLoss, double tunedLoss, int tokens) {
    return new RetentionExample(
        0,
        List.of(new PromptMessage("user", "q")),
        expected,
        base,
        tuned,
        baseLoss,
        tunedLoss,
        tokens);
  }

  @Test
  void aTunedModelThatLostEveryAnswerIsClearlyWorse() {
    List<RetentionExample> items =
        List.of(
            item("12", "12", "13", 1.0, 3.0, 2),
            item("Paris", "paris.", "Lyon", 1.0, 3.0, 2),
            item("300", "300.00", "30", 1.0, 3.0, 2));
    RetentionScores scores = RetentionScores.of(items);
    assertThat(scores.examples()).isEqualTo(3);
    assertThat(scores.baseExactMatch()).as("case, punctuation and zeros normalised").isEqualTo(1.0);
    assertThat(scores.tunedExactMatch()).isZero();
    assertThat(scores.exactMatchDelta()).isEqualTo(new Interval(-1, -1));
    assertThat(scores.baseLoss()).isEqualTo(1.0);
    assertThat(scores.tunedLoss()).isEqualTo(3.0);
    assertThat(scores.lossDelta()).isEqualTo(new Interval(2, 2));
    assertThat(scores.tunedClearlyWorse()).isTrue();
  }

  @Test
  void theLossWeighsEveryTokenAndTheIntervalsFollowTheSeededPairedBootstrap() {
    List<RetentionExample> items = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      items.add(
          item("a", i % 2 == 0 ? "a" : "b", i % 3 == 0 ? "a" : "b", 1.0, 1.0 + i / 10.0, 1 + i));
    }
    RetentionScores scores = RetentionScores.of(items);

    // Token-weighted: sum(loss × tokens) / sum(tokens) over tokens 1..10 (55 in all).
    double tuned = 0;
    for (int i = 0; i < 10; i++) {
      tuned += (1.0 + i / 10.0) * (1 + i);
    }
    assertThat(scores.tunedLoss()).isCloseTo(tuned / 55, within(1e-12));
    assertThat(scores.baseExactMatch()).isEqualTo(0.5);
    assertThat(scores.tunedExactMatch()).isEqualTo(0.4);

    // The exact-match change's interval drawn independently: SplittableRandom(15), 2000 × 10.
    SplittableRandom random = new SplittableRandom(15);
    double[] deltas = new double[2000];
    for (int r = 0; r < 2000; r++) {
      int sum = 0;
      for (int k = 0; k < 10; k++) {
        int i = random.nextInt(10);
        sum += (i % 3 == 0 ? 1 : 0) - (i % 2 == 0 ? 1 : 0);
      }
      deltas[r] = sum / 10.0;
    }
    Arrays.sort(deltas);
    assertThat(scores.exactMatchDelta().low()).isCloseTo(deltas[50], within(1e-12));
    assertThat(scores.exactMatchDelta().high()).isCloseTo(deltas[1949], within(1e-12));
    assertThat(scores.exactMatchDelta().low()).isNegative();
    assertThat(scores.exactMatchDelta().high()).isPositive();
    assertThat(scores.lossDelta().low()).as("tuned's loss is higher on every item").isPositive();
    assertThat(scores.tunedClearlyWorse()).isTrue();
  }

  @Test
  void anUnchangedModelIsNotWorse() {
    RetentionScores scores =
        RetentionScores.of(
            List.of(item("1", "1", "1", 2.0, 2.0, 3), item("2", "x", "x", 1.0, 1.0, 1)));
    assertThat(scores.exactMatchDelta()).isEqualTo(new Interval(0, 0));
    assertThat(scores.tunedClearlyWorse()).isFalse();
  }
}
