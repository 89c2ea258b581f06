package dev.tuneforge.app.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the estimate counts as generated per held-out example, under the job's max new tokens. */
class EstimateServiceTest {

  @Test
  void pastJobsGeneratedTokensAreCappedAtTwiceTheJobsMaxNewTokens() {
    assertThat(EstimateService.generatedPerExample(300, 256, 40)).isEqualTo(300);
    assertThat(EstimateService.generatedPerExample(300, 100, 40))
        .as("base and tuned each stop after 100 tokens")
        .isEqualTo(200);
    assertThat(EstimateService.generatedPerExample(300, 5, 40)).isEqualTo(10);
  }

  @Test
  void withoutPastJobsBothModelsAnswerAsLongAsTheDatasetsAnswersUpToTheLimit() {
    assertThat(EstimateService.generatedPerExample(Double.NaN, 256, 40)).isEqualTo(80);
    assertThat(EstimateService.generatedPerExample(Double.NaN, 16, 40)).isEqualTo(32);
  }
}
