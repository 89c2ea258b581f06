package dev.tuneforge.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * Which jobs a new fine-tune may continue from, on real PostgreSQL: each wrong source is refused
 * with its reason before anything is stored, and another tenant's job is not found. (A continuation
 * that trains is proven with the real node in the launcher's ContinueFromCheckpointIT.)
 */
@SpringBootTest
@ContextConfiguration(initializers = TestDatabase.class)
class ContinuationIT {
  @Autowired FineTuneService fineTunes;
  @Autowired JdbcClient jdbc;

  @Test
  void aWrongSourceIsRefusedWithItsReasonAndAnotherTenantsJobIsNotFound() {
    TestRows rows = new TestRows(jdbc);
    UUID tenant = rows.tenant("continue");
    UUID user = rows.user(tenant, "continue-" + tenant);
    UUID model = rows.model("continue-model-" + tenant);
    UUID otherModel = rows.model("continue-other-" + tenant);
    UUID version = rows.datasetVersion(tenant, user, 10, 1000);
    UUID succeeded = rows.job(tenant, user, model, version, "done", "succeeded");
    UUID running = rows.job(tenant, user, model, version, "running", "running");
    UUID noCheckpoint = rows.job(tenant, user, model, version, "bare", "failed");
    jdbc.sql("update fine_tune_job set last_checkpoint_step = 20, lora_r = 8 where id = ?")
        .param(succeeded)
        .update();
    UUID strangerTenant = rows.tenant("continue-stranger");
    UUID stranger = rows.user(strangerTenant, "stranger-" + strangerTenant);
    long before = jobCount();

    FineTuneRequest.Builder request =
        FineTuneRequest.builder()
            .setBaseModel(model)
            .setDatasetVersion(version)
            .optLora(8, 16, 0.05)
            .optTargetModules(List.of("q_proj"));
    assertThatThrownBy(
            () ->
                TestRows.signedIn(
                    stranger,
                    strangerTenant,
                    "stranger",
                    () -> fineTunes.create(request.optContinueFrom(succeeded, null).build())))
        .hasMessage("No such fine-tune to continue from: " + succeeded);
    assertRefused(
        tenant, user, request.optContinueFrom(running, null), "\"running\" is running; continue");
    assertRefused(
        tenant, user, request.optContinueFrom(noCheckpoint, null), "\"bare\" left no checkpoint");
    assertRefused(
        tenant,
        user,
        request.optContinueFrom(succeeded, null).setBaseModel(otherModel),
        "\"done\" was trained on another base model");
    request.setBaseModel(model);
    assertRefused(
        tenant,
        user,
        request.optMethod(FineTuneRequest.FULL),
        "\"done\" trained a LoRA adapter; continue it with LoRA, QLoRA or DPO, not full");
    request.optMethod(null);
    assertRefused(
        tenant,
        user,
        request.optLora(16, 32, 0.05),
        "\"done\"'s adapter has rank 8 on [q_proj]; continue it with the same rank and target"
            + " modules");
    assertThat(jobCount()).as("nothing stored").isEqualTo(before);
  }

  private void assertRefused(
      UUID tenant, UUID user, FineTuneRequest.Builder request, String reason) {
    assertThatThrownBy(
            () -> TestRows.signedIn(user, tenant, "u", () -> fineTunes.create(request.build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(reason);
  }

  private long jobCount() {
    return jdbc.sql("select count(*) from fine_tune_job").query(Long.class).single();
  }
}
