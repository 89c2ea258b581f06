package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.principal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.DatasetUploadOptions;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import dev.tuneforge.app.evaluation.EvaluationScores;
import dev.tuneforge.app.evaluation.EvaluationService;
import dev.tuneforge.app.evaluation.Headline;
import dev.tuneforge.app.evaluation.LatencyFigures;
import dev.tuneforge.app.evaluation.MetricConfidence;
import dev.tuneforge.app.evaluation.PairedBootstrap;
import dev.tuneforge.app.evaluation.RetentionScores;
import dev.tuneforge.app.evaluation.StoredEvaluation;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import dev.tuneforge.app.usage.UsageKind;
import dev.tuneforge.app.usage.UsageRecord;
import dev.tuneforge.app.usage.UsageService;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.RetentionExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationContext;

/**
 * Evaluation for real: two fine-tunes of the demo model on SROIE receipts, each evaluated by the
 * real node against its base model on 8 receipts it did not train on: the first on a held-out
 * dataset, the second on its dataset's validation split (which also gives validation losses and
 * samples during training). The stored metrics are those the app computes again from the
 * generations in storage (which proves what was stored and read back, not the metrics), and three
 * of them, the answers with unexpected keys and the bootstrap interval of the JSON validity's
 * change equal an independent implementation's ({@link IndependentScores}); then a member reads the
 * evaluation page (verdict with its interval, key findings, normalisation on hover) and the
 * comparison in chromium. The first also runs the built-in retention check, and its latency figures
 * and retention scores are those recomputed from the stored files; a third stops early on the field
 * F1 of its validation sample and delivers the weights of its best measurement.
 */
@Timeout(value = 40, unit = java.util.concurrent.TimeUnit.MINUTES)
class EvaluationIT {
  private static final int HELD_OUT = 8;
  private static final String PASSWORD = "correct-horse-1";

  @TempDir static Path data;
  static LocalPlatform platform;
  static ApplicationContext app;
  static SignedInUser member;
  static String memberName;
  static FineTuneJob first;
  static FineTuneJob second;
  static FineTuneJob stopped;

  @BeforeAll
  static void trainTwoFineTunes() throws IOException {
    platform = LocalPlatform.start(LocalPlatform.Settings.forTests(data.resolve("platform")));
    app = platform.context();
    SignedInUser admin = principal(app, platform.adminUsername());
    Tenant tenant =
        as(
            admin,
            () ->
                app.getBean(TenantService.class)
                    .create("Evaluators " + PlatformTestSupport.suffix()));
    memberName = "eve-" + PlatformTestSupport.suffix();
    as(
        admin,
        () ->
            app.getBean(AccountService.class)
                .create(tenant.getId(), memberName, memberName, PASSWORD, Role.MEMBER));
    member = principal(app, memberName);

    List<String> receipts = Files.readAllLines(PlatformTestSupport.sroieTrainingFile());
    Path train = Files.write(data.resolve("train.jsonl"), receipts.subList(0, 40));
    // The node refuses to evaluate a prompt longer than the demo model's 1024 positions.
    Path heldOut =
        Files.write(
            data.resolve("held-out.jsonl"),
            receipts.subList(40, receipts.size()).stream()
                .filter(line -> line.length() <= 1200)
                .limit(HELD_OUT)
                .toList());
    DatasetService datasets = app.getBean(DatasetService.class);
    DatasetSummary training = as(member, () -> datasets.upload("receipts", "train.jsonl", train));
    DatasetSummary evaluation =
        as(member, () -> datasets.upload("receipts held out", "held-out.jsonl", heldOut));
    DatasetSummary withSplit =
        as(
                member,
                () ->
                    datasets.upload(
                        "receipts with split",
                        "train.jsonl",
                        train,
                        DatasetUploadOptions.defaults()
                            .withSplit(new DatasetSplit.SeparateFile("held-out.jsonl", heldOut))))
            .dataset();
    assertThat(withSplit.hasValidation()).isTrue();
    UUID demo = app.getBean(CatalogService.class).findByName(DemoModel.NAME).orElseThrow().getId();
    FineTuneService fineTunes = app.getBean(FineTuneService.class);
    List<String> targets =
        List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
    FineTuneRequest firstRequest =
        FineTuneRequest.builder()
            .setBaseModel(demo)
            .setDatasetVersion(training.versionId())
            .optLora(8, 16, 0.0)
            .optTargetModules(targets)
            .optEpochs(10)
            .optLearningRate(2e-3)
            .optBatchSize(4)
            .optMaxSequenceLength(1024)
            .optMaxSteps(24)
            .optCheckpointEvery(12)
            .optEvaluation(evaluation.versionId(), HELD_OUT)
            .optRetention(FineTuneRequest.RETENTION_BUILTIN, null)
            .build();
    first = as(member, () -> fineTunes.create(firstRequest));
    // The second also uses rank-stabilised LoRA and packing, as a user ticks them on the form.
    FineTuneRequest secondRequest =
        firstRequest.toBuilder()
            .setDatasetVersion(withSplit.versionId())
            .optLearningRate(5e-4)
            .optSeed(7)
            .optMaxSteps(12)
            .optCheckpointEvery(6)
            .optEvaluation(null, HELD_OUT)
            .optRslora(true)
            .optPacking(true)
            .optRetention(null, null)
            .build();
    second = as(member, () -> fineTunes.create(secondRequest));
    // A learning rate too small to change any greedy answer: the field F1 of the validation sample
    // stays where it was, so with patience 1 the run stops at the second measurement (step 4) and
    // goes back to the first (step 2).
    FineTuneRequest stoppingRequest =
        firstRequest.toBuilder()
            .setDatasetVersion(withSplit.versionId())
            .optLearningRate(1e-9)
            .optMaxSteps(12)
            .optCheckpointEvery(2)
            .optValidationEvery(2)
            .optEarlyStoppingPatience(1)
            .optEarlyStoppingMetric(FineTuneRequest.FIELD_F1)
            .optEvaluation(null, 0)
            .optRetention(null, null)
            .build();
    stopped = as(member, () -> fineTunes.create(stoppingRequest));
    // Three jobs, two evaluations with a retention check and field F1 at each validation, one
    // node: under a loaded 2-core machine the second waits long behind the first.
    Duration timeout = Duration.ofMinutes(15);
    first =
        PlatformTestSupport.awaitFinished(
            platform, member, first.getId(), timeout, data.resolve("platform"));
    second =
        PlatformTestSupport.awaitFinished(
            platform, member, second.getId(), timeout, data.resolve("platform"));
    stopped =
        PlatformTestSupport.awaitFinished(
            platform, member, stopped.getId(), timeout, data.resolve("platform"));
    // Listeners store and meter an evaluation after the job's success commits, not with it.
    UsageService usage = app.getBean(UsageService.class);
    Awaitility.await("both evaluations stored, the first metered")
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                as(
                    member,
                    () ->
                        app.getBean(EvaluationService.class).find(second.getId()).isPresent()
                            && usage.segments(first.getId()).stream()
                                .anyMatch(r -> r.getKind() == UsageKind.EVALUATION)));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void storedMetricsEqualThoseRecomputedFromTheStoredGenerations() {
    for (FineTuneJob job : List.of(first, second)) {
      assertThat(job.getStatus())
          .as(job.getName() + ": " + job.getError())
          .isEqualTo(JobStatus.SUCCEEDED);
      EvaluationService evaluations = app.getBean(EvaluationService.class);
      StoredEvaluation stored = as(member, () -> evaluations.find(job.getId())).orElseThrow();
      assertThat(stored.row().getError()).isNull();
      assertThat(stored.row().getKind()).isEqualTo("extraction");
      assertThat(stored.row().getExamples()).isEqualTo(HELD_OUT);

      List<EvaluationExample> generations = as(member, () -> evaluations.generations(stored.row()));
      assertThat(generations).hasSize(HELD_OUT);
      assertThat(generations)
          .extracting(EvaluationExample::expected)
          .allMatch(e -> e.startsWith("{"));
      // The same code on the same files: this proves storage and reading back, not the metrics.
      EvaluationScores recomputed = as(member, () -> evaluations.recompute(stored.row()));
      assertThat(recomputed.base()).isEqualTo(stored.base());
      assertThat(recomputed.tuned()).isEqualTo(stored.tuned());
      assertThat(recomputed.fields()).isEqualTo(stored.fields());
      // These three, from code that shares nothing with the app's, check the metrics themselves.
      IndependentScores.Figures base = IndependentScores.base(generations);
      IndependentScores.Figures tuned = IndependentScores.tuned(generations);
      assertThat(stored.base().jsonValidity()).isCloseTo(base.jsonValidity(), within(1e-12));
      assertThat(stored.tuned().jsonValidity()).isCloseTo(tuned.jsonValidity(), within(1e-12));
      assertThat(stored.base().textMatch()).isCloseTo(base.textMatch(), within(1e-12));
      assertThat(stored.tuned().textMatch()).isCloseTo(tuned.textMatch(), within(1e-12));
      assertThat(stored.base().rougeL()).isCloseTo(base.rougeL(), within(1e-12));
      assertThat(stored.tuned().rougeL()).isCloseTo(tuned.rougeL(), within(1e-12));
      assertThat(stored.fields())
          .extracting(f -> f.path())
          .contains("company", "date", "address", "total");
      // Keys no expected answer has are one finding, counted as independent code counts them.
      assertThat(stored.tuned().keys()).isNotNull();
      assertThat(stored.tuned().keys().answersWithUnexpected())
          .isEqualTo(IndependentScores.answersWithUnexpectedKeys(generations, true));
      assertThat(stored.base().keys().answersWithUnexpected())
          .isEqualTo(IndependentScores.answersWithUnexpectedKeys(generations, false));
      List<String> invented =
          stored.tuned().keys().unexpected().stream().map(k -> k.path()).toList();
      assertThat(stored.fields()).noneMatch(f -> invented.contains(f.path()));
      // The intervals: the same seeded resamples, scored by independent code.
      MetricConfidence validity = recomputed.confidence().of(Headline.JSON_VALIDITY).orElseThrow();
      double[] interval =
          IndependentScores.validityDeltaInterval(
              generations,
              PairedBootstrap.resamples(
                  HELD_OUT, recomputed.confidence().resamples(), recomputed.confidence().seed()));
      assertThat(validity.deltaInterval().low()).isCloseTo(interval[0], within(1e-12));
      assertThat(validity.deltaInterval().high()).isCloseTo(interval[1], within(1e-12));
      MetricConfidence f1 = recomputed.confidence().of(Headline.MICRO_F1).orElseThrow();
      assertThat(f1.base()).isEqualTo(stored.base().microF1());
      assertThat(f1.tuned()).isEqualTo(stored.tuned().microF1());

      assertThat(stored.base().loss()).isNotNull();
      assertThat(stored.tuned().loss())
          .as("fine-tuning on receipts lowers the loss of held-out receipts' answers")
          .isLessThan(stored.base().loss());
    }
    String config =
        as(
            member,
            () -> {
              FineTuneService fineTunes = app.getBean(FineTuneService.class);
              String key =
                  fineTunes.adapterFiles(second.getId()).stream()
                      .filter(k -> k.endsWith("adapter_config.json"))
                      .findFirst()
                      .orElseThrow();
              try (var in =
                  app.getBean(dev.tuneforge.app.storage.ObjectStorage.class).tenantOpen(key)) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThat(config)
        .as("the rsLoRA choice reaches the adapter")
        .containsPattern("\"use_rslora\"\\s*:\\s*true");
    List<UsageRecord> usage =
        as(member, () -> app.getBean(UsageService.class).segments(first.getId()));
    assertThat(usage)
        .extracting(UsageRecord::getKind)
        .as("the evaluation is metered apart from training")
        .contains(UsageKind.TRAINING, UsageKind.EVALUATION);
    List<JobEventRecord> events =
        as(member, () -> app.getBean(FineTuneService.class).events(first.getId()));
    assertThat(events)
        .extracting(JobEventRecord::getType)
        .contains(JobEvent.Type.EVALUATION)
        .doesNotContain(JobEvent.Type.VALIDATION);
    List<JobEventRecord> split =
        as(member, () -> app.getBean(FineTuneService.class).events(second.getId()));
    assertThat(split)
        .filteredOn(e -> e.getType() == JobEvent.Type.VALIDATION)
        .extracting(JobEventRecord::getStep)
        .as("validation loss at every checkpoint")
        .containsExactly(6, 12);
    assertThat(split)
        .filteredOn(e -> e.getType() == JobEvent.Type.SAMPLE)
        .extracting(JobEventRecord::getStep)
        .containsExactly(6, 12);
  }

  @Test
  void latencyAndRetentionAreStoredAsRecomputedFromTheNodesFiles() {
    EvaluationService evaluations = app.getBean(EvaluationService.class);
    StoredEvaluation stored = as(member, () -> evaluations.find(first.getId())).orElseThrow();
    List<EvaluationExample> generations = as(member, () -> evaluations.generations(stored.row()));
    LatencyFigures latency = as(member, () -> evaluations.latency(stored.row()));
    assertThat(latency).isNotNull();
    assertThat(latency.device()).isEqualTo("cpu");
    assertThat(latency).isEqualTo(LatencyFigures.of(generations, latency.device()));
    assertThat(latency.tuned().firstTokenSeconds().examples()).isEqualTo(HELD_OUT);
    assertThat(latency.tuned().firstTokenSeconds().p50()).isPositive();
    assertThat(latency.base().outputTokens().max())
        .isEqualTo(
            generations.stream().mapToInt(EvaluationExample::baseOutputTokens).max().orElseThrow());
    assertThat(as(member, () -> evaluations.evaluatedOn(first.getId()))).isPresent();

    List<RetentionExample> retention = as(member, () -> evaluations.retention(stored.row()));
    assertThat(retention).hasSize(54);
    RetentionScores scores = as(member, () -> evaluations.retentionScores(stored.row()));
    assertThat(scores).isEqualTo(RetentionScores.of(retention));
    assertThat(scores.baseLoss()).isPositive();
    assertThat(scores.lossDelta()).isNotNull();
    // The second asked for no retention check: none ran, none is stored.
    StoredEvaluation other = as(member, () -> evaluations.find(second.getId())).orElseThrow();
    assertThat(as(member, () -> evaluations.retentionScores(other.row()))).isNull();
    assertThat(as(member, () -> evaluations.retention(other.row()))).isEmpty();
  }

  @Test
  void earlyStoppingOnFieldF1StopsAndDeliversTheBestMeasurementsWeights() {
    assertThat(stopped.getStatus())
        .as(stopped.getName() + ": " + stopped.getError())
        .isEqualTo(JobStatus.SUCCEEDED);
    List<JobEventRecord> events =
        as(member, () -> app.getBean(FineTuneService.class).events(stopped.getId()));
    assertThat(events)
        .filteredOn(e -> e.getType() == JobEvent.Type.FIELD_F1)
        .extracting(JobEventRecord::getStep)
        .containsExactly(2, 4);
    assertThat(events)
        .extracting(JobEventRecord::getMessage)
        .anyMatch(
            m -> m != null && m.startsWith("early stopping at step 4: field F1 has not improved"))
        .anyMatch(m -> m != null && m.startsWith("kept the weights of step 2, the best field F1"));
    assertThat(stopped.getSteps()).isEqualTo(4);
    byte[] delivered =
        PlatformTestSupport.adapterFiles(app, member, stopped.getId())
            .get(JobFolder.ADAPTER_WEIGHTS);
    byte[] best = checkpointWeights(stopped, 2);
    assertThat(delivered).isEqualTo(best).isEqualTo(checkpointWeights(stopped, 4));
  }

  private static byte[] checkpointWeights(FineTuneJob job, int step) {
    return as(
        member,
        () -> {
          String key =
              ObjectKeys.jobCheckpoint(job.getTenantId(), job.getId(), step)
                  + JobFolder.ADAPTER_WEIGHTS;
          try (var in =
              app.getBean(dev.tuneforge.app.storage.ObjectStorage.class).tenantOpen(key)) {
            return in.readAllBytes();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @Test
  void aMemberReadsTheEvaluationAndComparesBothFineTunes() {
    StoredEvaluation stored =
        as(member, () -> app.getBean(EvaluationService.class).find(first.getId())).orElseThrow();
    EvaluationScores scores =
        as(member, () -> app.getBean(EvaluationService.class).recompute(stored.row()));
    try (Playwright playwright = BrowserSupport.playwright();
        Browser browser = BrowserSupport.chromium(playwright)) {
      Page page = browser.newPage();
      BrowserSupport.signIn(page, platform.baseUrl(), memberName, PASSWORD);

      page.navigate(platform.baseUrl() + "/finetunes/" + first.getId());
      assertThat(page.locator("#job-status")).containsText("succeeded");
      page.locator("#open-evaluation").click();
      assertThat(page.locator("#evaluation-status")).containsText(HELD_OUT + " examples");
      assertThat(page.locator("#evaluation-metrics")).containsText("Field F1 (micro)");
      assertThat(page.locator("#evaluation-metrics")).containsText("Loss on expected answers");
      assertThat(page.locator("#field-metrics")).containsText("company");
      assertThat(page.locator("#field-metrics")).containsText("total");
      // The verdict, the intervals and the key findings the page shows are the recomputed ones.
      String verdict = scores.confidence().of(Headline.MICRO_F1).orElseThrow().sentence();
      assertThat(page.locator("#evaluation-verdict"))
          .hasText(
              verdict.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                  + verdict.substring(1)
                  + ".");
      assertThat(page.locator("#evaluation-metrics")).containsText("Field F1 (macro)");
      assertThat(page.locator("#evaluation-metrics")).containsText("95 % CI");
      assertThat(page.locator("#evaluation-intervals")).containsText("2000 resamples");
      assertThat(page.locator("#unexpected-keys"))
          .hasAttribute(
              "data-tuned", Integer.toString(scores.tuned().keys().answersWithUnexpected()));
      assertThat(page.locator("#unexpected-keys"))
          .containsText(scores.tuned().keys().unexpectedText());
      assertThat(page.locator("#missing-keys")).containsText(scores.tuned().keys().missingText());
      assertThat(
              page.locator("#field-metrics span[data-normalisation]")
                  .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("total")))
          .hasAttribute("title", Pattern.compile("amounts: currency"));
      assertThat(page.locator("#examples-shown"))
          .hasAttribute("data-count", Integer.toString(HELD_OUT));

      int invalid = scores.comparison().invalidJson().size();
      BrowserSupport.choose(page, "#example-filter", Pattern.compile("^\\s*Invalid JSON"));
      assertThat(page.locator("#examples-shown"))
          .hasAttribute("data-count", Integer.toString(invalid));
      int worse = scores.comparison().tunedWorse().size();
      BrowserSupport.choose(page, "#example-filter", Pattern.compile("^\\s*Tuned got worse"));
      assertThat(page.locator("#examples-shown"))
          .hasAttribute("data-count", Integer.toString(worse));
      assertThat(page.locator("#latency-where")).containsText("on cpu");
      assertThat(page.locator("#evaluation-latency")).containsText("Time to first token");
      assertThat(page.locator("#retention-summary")).containsText("On 54 general-ability items");
      BrowserSupport.screenshot(page, "evaluation.png");

      page.navigate(platform.baseUrl() + "/finetunes/" + second.getId());
      assertThat(page.locator("#loss-chart"))
          .hasAttribute("data-series", Pattern.compile("training loss=12,validation loss=2"));
      assertThat(page.locator("#job-sample")).containsText("step 12: ");
      assertThat(page.locator("#field-f1-chart"))
          .hasAttribute("data-series", Pattern.compile("field F1=2"));

      page.navigate(platform.baseUrl() + "/finetunes");
      // Newest first: the early-stopped third fine-tune, then the second, then the first.
      page.locator("#finetunes-grid vaadin-checkbox").nth(2).click();
      page.locator("#finetunes-grid vaadin-checkbox").nth(3).click();
      page.locator("#compare-selected").click();
      assertThat(page).hasURL(Pattern.compile(".*/compare\\?ids=.*"));
      assertThat(page.locator("#compare-metrics")).containsText(first.getName());
      assertThat(page.locator("#compare-metrics")).containsText("Field F1 (micro)");
      assertThat(page.locator("#compare-metrics")).containsText("F1 · total");
      assertThat(page.locator("#compare-chart"))
          .hasAttribute("data-series", Pattern.compile(".*=\\d+,.*=\\d+.*"));
      BrowserSupport.screenshot(page, "compare.png");
    }
  }
}
