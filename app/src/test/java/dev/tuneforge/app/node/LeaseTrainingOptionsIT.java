package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.protocol.TrainingOptions;
import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * The trainer's options chosen for a fine-tune (V016, V050) reach its node in the lease exactly,
 * none left absent; a job that chose none, and a row from before V016, train with the trainer's
 * defaults and validate at each checkpoint as before; out-of-range options are refused with the
 * reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class LeaseTrainingOptionsIT {
  @Autowired FineTuneService fineTunes;
  @Autowired LeaseFactory leases;
  @Autowired JdbcClient jdbc;

  private TestRows rows;
  private UUID tenant;
  private UUID user;
  private UUID model;
  private UUID version;

  @BeforeEach
  void rows() {
    rows = new TestRows(jdbc);
    tenant = rows.tenant("lease-options");
    user = rows.user(tenant, "u-" + UUID.randomUUID());
    model = rows.model("m-" + UUID.randomUUID());
    version = rows.datasetVersion(tenant, user, 1, 1);
  }

  @Test
  void chosenOptionsReachTheLeaseExactly() {
    TrainingOptions sent =
        optionsOf(
            create(
                b ->
                    b.optCheckpointEvery(20)
                        .optSchedule(FineTuneRequest.COSINE)
                        .optWarmupRatio(0.25)
                        .optGradientAccumulation(8)
                        .optWeightDecay(0.01)
                        .optMaxGradNorm(0.5)
                        .optValidationEvery(10)
                        .optEarlyStoppingPatience(3)
                        .optEarlyStoppingMetric(FineTuneRequest.FIELD_F1)
                        .optEvaluationMaxNewTokens(64)
                        .optRetention(FineTuneRequest.RETENTION_BUILTIN, null)));
    // No evaluation set here (the version has no validation split), so no retention check.
    assertThat(sent)
        .isEqualTo(
            new TrainingOptions(
                20,
                "cosine",
                0.25,
                8,
                10,
                3,
                0.01,
                0.5,
                0,
                64,
                null,
                false,
                null,
                "field_f1",
                null));
  }

  @Test
  void noClippingSendsANormNoGradientExceeds() {
    assertThat(optionsOf(create(b -> b.optMaxGradNorm(0))).maxGradNorm())
        .isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void aJobThatChoseNoneGetsTheTrainersDefaultsAndValidatesAtEachCheckpoint() {
    TrainingOptions d = TrainingOptions.DEFAULTS;
    TrainingOptions expected =
        new TrainingOptions(
            d.checkpointEvery(),
            d.schedule(),
            d.warmupRatio(),
            d.gradientAccumulation(),
            d.checkpointEvery(),
            d.earlyStoppingPatience(),
            d.weightDecay(),
            d.maxGradNorm(),
            0,
            d.evaluationMaxNewTokens(),
            null,
            false,
            null,
            d.earlyStoppingMetric(),
            null);
    assertThat(optionsOf(create(UnaryOperator.identity()))).isEqualTo(expected);

    // A row from before V016 (no such columns) reads the same.
    UUID old = rows.job(tenant, user, model, version, "old job", "queued");
    FineTuneJob oldJob =
        TestRows.signedIn(user, tenant, "u", () -> fineTunes.find(old).orElseThrow());
    assertThat(optionsOf(oldJob)).isEqualTo(expected);
  }

  @Test
  void outOfRangeOptionsAreRefusedWithTheReason() {
    assertRefused(b -> b.optSchedule("step"), "schedule must be one of [linear, cosine]");
    assertRefused(b -> b.optWarmupRatio(0.6), "warm-up ratio must be between 0 and 0.5");
    assertRefused(b -> b.optWarmupRatio(-0.1), "warm-up ratio must be between 0 and 0.5");
    assertRefused(b -> b.optGradientAccumulation(0), "accumulation must be between 1 and 64");
    assertRefused(b -> b.optGradientAccumulation(65), "accumulation must be between 1 and 64");
    assertRefused(b -> b.optWeightDecay(1.5), "Weight decay must be between 0 and 1");
    assertRefused(b -> b.optMaxGradNorm(-1), "must be positive, or 0 for none");
    assertRefused(b -> b.optMaxGradNorm(Double.NaN), "must be positive, or 0 for none");
    assertRefused(b -> b.optValidationEvery(-1), "Validate every N steps cannot be negative");
    assertRefused(b -> b.optEarlyStoppingPatience(-1), "patience cannot be negative");
    assertRefused(
        b -> b.optEarlyStoppingMetric("accuracy"),
        "Early stopping watches one of [validation_loss, field_f1], not \"accuracy\"");
    assertRefused(
        b -> b.optEvaluationMaxNewTokens(0),
        "Max new tokens per evaluation answer must be between 1 and 4096, not 0");
    assertRefused(
        b -> b.optEvaluationMaxNewTokens(4097),
        "Max new tokens per evaluation answer must be between 1 and 4096, not 4097");
    assertRefused(
        b -> b.optRetention(FineTuneRequest.RETENTION_DATASET, null),
        "Choose the dataset of the retention check");
  }

  @Test
  void aRetentionSetOfAnotherTenantIsRefused() {
    UUID other = rows.tenant("lease-options-other-" + UUID.randomUUID());
    UUID theirs = rows.datasetVersion(other, rows.user(other, "o-" + UUID.randomUUID()), 1, 1);
    assertRefused(
        b -> b.optRetention(FineTuneRequest.RETENTION_DATASET, theirs),
        "Choose one of your datasets for the retention check");
  }

  private void assertRefused(UnaryOperator<FineTuneRequest.Builder> options, String reason) {
    assertThatThrownBy(() -> create(options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  private FineTuneJob create(UnaryOperator<FineTuneRequest.Builder> options) {
    FineTuneRequest request =
        options
            .apply(FineTuneRequest.builder().setBaseModel(model).setDatasetVersion(version))
            .build();
    return TestRows.signedIn(user, tenant, "u", () -> fineTunes.create(request));
  }

  private TrainingOptions optionsOf(FineTuneJob job) {
    return leases.build(job, Instant.now().plusSeconds(60)).spec().options();
  }
}
