package dev.tuneforge.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tuned models are named as OpenAI names them: {@code ft:BASE:TENANT:SUFFIX:ID}. */
class FineTunedModelNameTest {
  private static final UUID JOB = UUID.fromString("0b5c6f0e-8f1d-4c36-9a57-1f3c2a4b5d6e");

  @Test
  void aJobsModelIsNamedAfterItsBaseTenantSuffixAndId() {
    assertThat(FineTunedModelName.of("tuneforge-demo-llama", "Acme Corp", "receipts", JOB))
        .hasToString("ft:tuneforge-demo-llama:acme-corp:receipts:" + JOB);
    assertThat(FineTunedModelName.of("Qwen/Qwen3-0.6B", "acme", null, JOB))
        .as("no suffix: an empty segment, as OpenAI writes it")
        .hasToString("ft:Qwen/Qwen3-0.6B:acme::" + JOB);
  }

  @Test
  void aNameReadsBackIntoItsParts() {
    FineTunedModelName name = FineTunedModelName.of("org/base", "Team: Europe", "v2", JOB);
    assertThat(FineTunedModelName.parse(name.toString())).contains(name);
    assertThat(name.tenant()).isEqualTo("team-europe");
    assertThat(FineTunedModelName.parse("ft:base:acme::" + JOB))
        .contains(new FineTunedModelName("base", "acme", "", JOB));
  }

  @Test
  void baseModelNamesAndBrokenNamesAreNotTunedModels() {
    assertThat(FineTunedModelName.isTuned("tuneforge-demo-llama")).isFalse();
    assertThat(FineTunedModelName.parse("ft:base:acme:x:not-an-id")).isEmpty();
    assertThat(FineTunedModelName.parse("ft:acme:x:" + JOB)).isEmpty();
    assertThat(FineTunedModelName.parse(null)).isEmpty();
  }
}
