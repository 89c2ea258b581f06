package dev.tuneforge.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A fine-tune's own name follows OpenAI's suffix: 1 to 64 of a-z, 0-9, - and _. */
class JobSuffixTest {
  @Test
  void aNameOfLowerCaseLettersDigitsDashesAndUnderscoresUpTo64IsAccepted() {
    assertThat(FineTuneService.suffixProblem("receipts-v2_final")).isNull();
    assertThat(FineTuneService.suffixProblem("a".repeat(64))).isNull();
    assertThat(FineTuneService.suffixProblem(null)).as("no name").isNull();
    assertThat(FineTuneService.suffixProblem("  ")).as("no name").isNull();
  }

  @Test
  void anythingElseIsRefusedNamingTheRule() {
    assertThat(FineTuneService.suffixProblem("Receipts"))
        .isEqualTo(
            "A fine-tune's name is 1 to 64 characters of a-z, 0-9, - and _, not \"Receipts\"");
    assertThat(FineTuneService.suffixProblem("a".repeat(65))).isNotNull();
    assertThat(FineTuneService.suffixProblem("new model")).isNotNull();
    assertThat(FineTuneService.suffixProblem("ünïcode")).isNotNull();
  }
}
