package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.usage.TokenCharge;
import dev.tuneforge.protocol.EvaluationExample;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a judge run is estimated to cost before it starts, on hand-made examples. */
class JudgeEstimateTest {
  private static final TokenCharge.Prices PRICES =
      new TokenCharge.Prices(new BigDecimal("0.5"), new BigDecimal("2"));

  private final List<EvaluationExample> two =
      List.of(
          EvaluationScoresTest.example(0, "{\"a\":\"1\"}", "{\"a\":\"2\"}", "{\"a\":\"1\"}"),
          EvaluationScoresTest.example(1, "{\"a\":\"1\"}", "{}", "{\"a\":\"1\"}"));

  @Test
  void beforeAnyJudgementThePromptIsCountedAtFourCharactersATokenInBothOrders() {
    long prompt = 0;
    for (EvaluationExample e : two) {
      String baseFirst =
          JudgePrompt.user(e.prompt(), e.expected(), e.baseOutput(), e.tunedOutput());
      String tunedFirst =
          JudgePrompt.user(e.prompt(), e.expected(), e.tunedOutput(), e.baseOutput());
      prompt += (JudgePrompt.SYSTEM.length() + baseFirst.length() + 3) / 4;
      prompt += (JudgePrompt.SYSTEM.length() + tunedFirst.length() + 3) / 4;
    }
    JudgeEstimate estimate = JudgeEstimate.of(two, List.of(), PRICES, "USD");
    assertThat(estimate.examples()).isEqualTo(2);
    assertThat(estimate.promptTokens()).isEqualTo(prompt);
    assertThat(estimate.completionTokens()).as("40 a call, two calls an example").isEqualTo(160);
    assertThat(estimate.cost())
        .isEqualByComparingTo(
            BigDecimal.valueOf(prompt)
                .multiply(new BigDecimal("0.0005"))
                .add(new BigDecimal("0.32")));
    assertThat(estimate.describe()).startsWith("2 examples, about ").endsWith(" USD");
  }

  @Test
  void judgementsOfTheFineTuneMeasureTheTokensAnExampleTakes() {
    UUID run = UUID.randomUUID();
    List<Judgement> judged =
        List.of(
            new Judgement(run, 0, "A", "B", 1_000, 30), new Judgement(run, 1, "A", "B", 1_200, 50));
    JudgeEstimate estimate = JudgeEstimate.of(two, judged, PRICES, "USD");
    assertThat(estimate.promptTokens()).isEqualTo(2_200);
    assertThat(estimate.completionTokens()).isEqualTo(80);
    assertThat(estimate.cost()).isEqualByComparingTo("1.26");
    assertThat(JudgeEstimate.of(two, judged, TokenCharge.Prices.NONE, "USD").describe())
        .endsWith("the endpoint has no price");
  }
}
