package dev.tuneforge.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * The method chosen on the new fine-tune form (LoRA, QLoRA or full fine-tuning) is kept with the
 * job, only its tenant reads it, the database refuses any other (V013, widened by V021), and a full
 * fine-tune is not held to LoRA settings it ignores.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
class FineTuneMethodIT {
  @Autowired FineTuneService fineTunes;
  @Autowired FineTuneRepository jobs;
  @Autowired JdbcClient jdbc;

  @Test
  void theMethodIsKeptWithTheJobOfItsTenantOnly() {
    TestRows rows = new TestRows(jdbc);
    UUID tenant = rows.tenant("method");
    UUID other = rows.tenant("other");
    UUID[] ids =
        TenantContext.callAs(
            tenant,
            () -> {
              UUID user =
                  TenantContext.callAsSystem(() -> rows.user(tenant, "u-" + UUID.randomUUID()));
              UUID model = TenantContext.callAsSystem(() -> rows.model("m-" + UUID.randomUUID()));
              UUID version =
                  TenantContext.callAsSystem(() -> rows.datasetVersion(tenant, user, 1, 1));
              FineTuneRequest lora = FineTuneRequest.defaults(model, version);
              return new UUID[] {
                jobs.save(
                        new FineTuneJob(
                            "full", user, lora.withMethod(FineTuneRequest.FULL), Instant.now()))
                    .getId(),
                jobs.save(new FineTuneJob("lora", user, lora, Instant.now())).getId(),
                jobs.save(
                        new FineTuneJob(
                            "qlora", user, lora.withMethod(FineTuneRequest.QLORA), Instant.now()))
                    .getId()
              };
            });

    FineTuneJob full = TenantContext.callAs(tenant, () -> fineTunes.find(ids[0]).orElseThrow());
    FineTuneJob lora = TenantContext.callAs(tenant, () -> fineTunes.find(ids[1]).orElseThrow());
    assertThat(full.getMethod()).isEqualTo("full");
    assertThat(full.isFullFineTuning()).isTrue();
    assertThat(lora.getMethod()).isEqualTo("lora");
    assertThat(lora.isFullFineTuning()).isFalse();
    FineTuneJob qlora = TenantContext.callAs(tenant, () -> fineTunes.find(ids[2]).orElseThrow());
    assertThat(qlora.getMethod()).isEqualTo("qlora");
    assertThat(qlora.isFullFineTuning()).as("QLoRA delivers an adapter").isFalse();
    assertThat(TenantContext.callAs(other, () -> fineTunes.find(ids[2]))).isEmpty();
    assertThat(TenantContext.callAs(other, () -> fineTunes.find(ids[0]))).isEmpty();
    assertThat(TenantContext.callAs(other, () -> fineTunes.tunedModelFiles(ids[0]))).isEmpty();

    assertThatThrownBy(
            () ->
                TenantContext.runAsSystem(
                    () ->
                        jdbc.sql("update fine_tune_job set method = 'dora' where id = ?")
                            .params(ids[0])
                            .update()))
        .hasMessageContaining("ck_fine_tune_job_method");
  }

  @Test
  void aFullFineTuneIgnoresLoraSettingsButNotAnUnknownMethod() {
    FineTuneRequest d = FineTuneRequest.defaults(UUID.randomUUID(), UUID.randomUUID());
    FineTuneRequest noTargets =
        d.toBuilder()
            .optLora(0, d.loraAlpha(), d.loraDropout())
            .optTargetModules(List.of())
            .optMethod(null)
            .build();
    assertThat(noTargets.problem()).isEqualTo("LoRA r must be between 1 and 256");
    assertThat(noTargets.withMethod(FineTuneRequest.FULL).problem()).isNull();
    assertThat(d.withMethod("dora").problem())
        .contains(
            "LoRA (\"lora\"), QLoRA (\"qlora\"), full fine-tuning (\"full\") or DPO (\"dpo\")",
            "dora");
    assertThat(d.withMethod(FineTuneRequest.QLORA).problem()).isNull();
    assertThat(noTargets.withMethod(FineTuneRequest.QLORA).problem())
        .as("QLoRA is LoRA: its settings count")
        .isEqualTo("LoRA r must be between 1 and 256");
    assertThat(d.withMethod(FineTuneRequest.FULL).withMethod(FineTuneRequest.FULL).learningRate())
        .isEqualTo(d.learningRate());
  }
}
