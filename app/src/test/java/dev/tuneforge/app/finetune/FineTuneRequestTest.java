package dev.tuneforge.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The limits of a fine-tune's settings, checked before the job is made. */
class FineTuneRequestTest {
  private static final FineTuneRequest DEFAULTS =
      FineTuneRequest.defaults(UUID.randomUUID(), UUID.randomUUID());

  @Test
  void eachEvaluationAnswerGetsAtMost256NewTokensUnlessToldOtherwise() {
    assertThat(DEFAULTS.evaluationMaxNewTokens()).isEqualTo(256);
    assertThat(DEFAULTS.problem()).isNull();
    FineTuneRequest short5 = DEFAULTS.toBuilder().optEvaluationMaxNewTokens(5).build();
    assertThat(short5.problem()).isNull();
    assertThat(short5.work().evaluationMaxNewTokens()).isEqualTo(5);
    assertThat(short5.toBuilder().build()).isEqualTo(short5);
  }

  @Test
  void maxNewTokensPerEvaluationAnswerIsBetween1And4096() {
    assertThat(withMaxNewTokens(1).problem()).isNull();
    assertThat(withMaxNewTokens(4096).problem()).isNull();
    assertThat(withMaxNewTokens(0).problem())
        .isEqualTo("Max new tokens per evaluation answer must be between 1 and 4096, not 0");
    assertThat(withMaxNewTokens(4097).problem())
        .isEqualTo("Max new tokens per evaluation answer must be between 1 and 4096, not 4097");
    assertThat(withMaxNewTokens(-3).problem())
        .isEqualTo("Max new tokens per evaluation answer must be between 1 and 4096, not -3");
  }

  private static FineTuneRequest withMaxNewTokens(int tokens) {
    return DEFAULTS.toBuilder().optEvaluationMaxNewTokens(tokens).build();
  }
}
