package dev.tuneforge.launcher;

import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import dev.tuneforge.app.dataset.tokens.TokenLengths;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.usage.EstimateComparison;
import dev.tuneforge.app.usage.EstimateService;
import dev.tuneforge.app.usage.UsageKind;
import dev.tuneforge.app.usage.UsageService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The cost estimate against the bill: on the demo model, through the platform and its real node, a
 * first calibration job (LoRA with evaluation) teaches the node class its speeds; then LoRA with
 * evaluation, LoRA without and a full fine-tune, each of another length than the calibration, are
 * estimated at launch and metered. The figures are printed against the 25 % goal; the test fails
 * when an estimate is off by more than {@value #BOUND_PERCENT} % (the estimate this replaced was
 * 3–5× off). The jobs last about a minute on an idle 2-core CPU, so a second of metering moves an
 * error by 2 % at most; a machine whose speed changes between the jobs moves it more. docs/usage.md
 * has the measured errors.
 */
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
class EstimateAccuracyIT {
  private static final int HELD_OUT = 6;
  private static final double GOAL_PERCENT = 25;
  private static final double BOUND_PERCENT = 60;

  @TempDir Path data;

  @Test
  void eachJobShapesEstimateAtLaunchIsComparedWithItsMeteredCost() throws IOException {
    try (LocalPlatform platform =
        LocalPlatform.start(LocalPlatform.Settings.forTests(data.resolve("platform")))) {
      var app = platform.context();
      SignedInUser member =
          PlatformTestSupport.memberOfNewTenant(
              app,
              "Estimators " + PlatformTestSupport.suffix(),
              "est-" + PlatformTestSupport.suffix());
      List<String> receipts = Files.readAllLines(PlatformTestSupport.sroieTrainingFile());
      DatasetService datasets = app.getBean(DatasetService.class);
      DatasetSummary training = upload(datasets, member, "receipts", receipts.subList(0, 40));
      // Short receipts only: the demo model answers prompts within its 1024 positions.
      List<String> shortOnes = new ArrayList<>();
      for (String line : receipts.subList(40, receipts.size())) {
        if (line.length() <= 1200 && shortOnes.size() < HELD_OUT) {
          shortOnes.add(line);
        }
      }
      DatasetSummary evaluation = upload(datasets, member, "held-out", shortOnes);
      UUID demo =
          app.getBean(CatalogService.class).findByName(DemoModel.NAME).orElseThrow().getId();
      awaitTokenCount(app.getBean(TokenLengthService.class), member, training.versionId(), demo);
      // An estimate is made for the node classes enrolled at launch: the local node must be one.
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      Awaitility.await("the local node enrolled")
          .atMost(Duration.ofMinutes(2))
          .until(
              () -> jdbc.sql("select count(*) from training_node").query(Long.class).single() > 0);

      FineTuneRequest lora =
          FineTuneRequest.builder()
              .setBaseModel(demo)
              .setDatasetVersion(training.versionId())
              .optLora(8, 16, 0.0)
              .optEpochs(10)
              .optLearningRate(2e-3)
              .optBatchSize(4)
              .optMaxSequenceLength(1024)
              .optCheckpointEvery(0)
              .optEvaluation(evaluation.versionId(), HELD_OUT)
              .optMaxSteps(24)
              .build();
      run(platform, member, "calibration", lora);
      List<String> report = new ArrayList<>();
      List<Double> errors = new ArrayList<>();
      for (var shape :
          List.of(
              new Shape("lora-with-evaluation", lora.toBuilder().optMaxSteps(40).build()),
              new Shape(
                  "lora-without-evaluation",
                  lora.toBuilder().optMaxSteps(60).optEvaluation(null, 0).build()),
              new Shape(
                  "full-fine-tune",
                  lora.toBuilder()
                      .optMethod(FineTuneRequest.FULL)
                      .optMaxSteps(48)
                      .optEvaluation(null, 0)
                      .build()))) {
        EstimateComparison c = run(platform, member, shape.name(), shape.request());
        errors.add(c.errorPercent());
        report.add(
            String.format(
                Locale.ROOT,
                "%-24s estimated %5d s %s, metered %5d s %s: %+6.1f %%",
                shape.name(),
                c.estimatedSeconds(),
                c.estimatedCost().toPlainString(),
                c.meteredSeconds(),
                c.meteredCost().toPlainString(),
                c.errorPercent()));
        report.add("    " + detail(app.getBean(JdbcClient.class), c.jobId()));
      }
      System.out.println(
          "ESTIMATE VS METERED ("
              + errors.stream().filter(e -> Math.abs(e) <= GOAL_PERCENT).count()
              + " of "
              + errors.size()
              + " within the "
              + GOAL_PERCENT
              + " % goal)\n"
              + String.join("\n", report));
      assertThat(errors)
          .as(String.join("\n", report))
          .allMatch(e -> Double.isFinite(e) && Math.abs(e) <= BOUND_PERCENT);
    }
  }

  private record Shape(String name, FineTuneRequest request) {}

  /**
   * Where an error comes from: the estimate's terms as stored at dispatch, and what was metered
   * (training and evaluation seconds, trained tokens) and measured (the steady steps' speed).
   */
  private static String detail(JdbcClient jdbc, UUID job) {
    String basis =
        jdbc.sql(
                "select basis from job_estimate where job_id = ? order by moment = 'dispatch' desc")
            .param(job)
            .query(String.class)
            .list()
            .getFirst();
    String metered =
        String.join(
            ", ",
            jdbc.sql(
                    "select kind || ' ' || seconds || ' s, ' || trained_tokens || ' tokens'"
                        + " from usage_record where job_id = ? order by started_at")
                .param(job)
                .query(String.class)
                .list());
    String steady =
        jdbc.sql(
                "select (max(tokens) - min(tokens)) / nullif(extract(epoch from max(at) - min(at)), 0)"
                    + " from job_event where job_id = ? and type = 'metric' and tokens is not null")
            .param(job)
            .query(Double.class)
            .optional()
            .map(v -> String.format(Locale.ROOT, "%,.0f tokens/s", v))
            .orElse("?");
    return "estimated " + basis + "; metered " + metered + "; steady steps " + steady;
  }

  private DatasetSummary upload(
      DatasetService datasets, SignedInUser member, String name, List<String> lines)
      throws IOException {
    Path file = Files.write(data.resolve(name + ".jsonl"), lines);
    return as(member, () -> datasets.upload(name, file.getFileName().toString(), file));
  }

  /** Launches the job named {@code name}, waits for it and its metering, and compares. */
  private EstimateComparison run(
      LocalPlatform platform, SignedInUser member, String name, FineTuneRequest request) {
    var app = platform.context();
    FineTuneJob job = as(member, () -> app.getBean(FineTuneService.class).create(request, name));
    FineTuneJob done =
        PlatformTestSupport.awaitFinished(
            platform, member, job.getId(), Duration.ofMinutes(8), data.resolve("platform"));
    assertThat(done.getStatus()).as(name + ": " + done.getError()).isEqualTo(JobStatus.SUCCEEDED);
    UsageService usage = app.getBean(UsageService.class);
    EstimateService estimates = app.getBean(EstimateService.class);
    return Awaitility.await(name + " metered, its evaluation split off")
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                as(
                    member,
                    () -> {
                      boolean evaluated =
                          request.evaluationExamples() == 0
                              || usage.segments(job.getId()).stream()
                                  .anyMatch(r -> r.getKind() == UsageKind.EVALUATION);
                      return evaluated
                          ? estimates.comparison(job.getId())
                          : Optional.<EstimateComparison>empty();
                    }),
            Optional::isPresent)
        .orElseThrow();
  }

  private static void awaitTokenCount(
      TokenLengthService counts, SignedInUser member, UUID version, UUID model) {
    Awaitility.await("the exact token count of the training set")
        .atMost(Duration.ofMinutes(3))
        .until(
            () ->
                as(
                    member,
                    () ->
                        counts
                            .find(version, model, TokenLengthService.DEFAULT_MAX_LENGTH)
                            .map(c -> c.status() == TokenLengths.Status.SUCCEEDED)
                            .orElse(false)));
  }
}
