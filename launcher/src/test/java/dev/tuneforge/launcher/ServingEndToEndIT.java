package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.DatasetUploadOptions;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import dev.tuneforge.app.evaluation.EvaluationService;
import dev.tuneforge.app.evaluation.StoredEvaluation;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.serving.Generation;
import dev.tuneforge.app.serving.GenerationSettings;
import dev.tuneforge.app.serving.ModelNotFoundException;
import dev.tuneforge.app.serving.ServedModel;
import dev.tuneforge.app.serving.ServingService;
import dev.tuneforge.app.usage.ServedTokens;
import dev.tuneforge.app.usage.ServingMeter;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.GenerationChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ApplicationContext;

/**
 * Serving from the real node started with {@code --serve}: two tenants each tune the demo model on
 * SROIE receipts, then ask their tuned models at once, and each answer, decoded greedily, is the
 * answer its own adapter gave the same receipt in its evaluation (generated there with that adapter
 * alone); neither tenant can use the other's model, and the tokens are metered for each. In
 * chromium the playground streams the tuned and the base model's answers to a receipt side by side.
 */
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
class ServingEndToEndIT {
  private static final int HELD_OUT = 2;

  @RegisterExtension
  static final BrowserPlatform env =
      new BrowserPlatform(
          settings -> {
            Map<String, String> node = new HashMap<>(settings.nodeEnvironment());
            node.put("TUNEFORGE_SERVE", "true");
            return settings.withNodeEnvironment(node);
          });

  static ApplicationContext app;
  static Tenant first;
  static Tenant second;

  record Tenant(
      SignedInUser member,
      String username,
      FineTuneJob job,
      EvaluationExample example,
      int maxNewTokens) {}

  @BeforeAll
  static void twoTenantsTuneTheDemoModel() throws Exception {
    app = env.platform().context();
    List<String> receipts = Files.readAllLines(PlatformTestSupport.sroieTrainingFile());
    Path data = env.platform().dataDir();
    Path train = Files.write(data.resolve("serving-train.jsonl"), receipts.subList(0, 40));
    Path heldOut =
        Files.write(
            data.resolve("serving-held-out.jsonl"),
            receipts.subList(40, receipts.size()).stream()
                .filter(line -> line.length() <= 1000)
                .limit(HELD_OUT)
                .toList());
    Launched firstJob = launch("Servers A", train, heldOut, 2e-3, 1);
    Launched secondJob = launch("Servers B", train, heldOut, 5e-3, 2);
    first = finished(firstJob);
    second = finished(secondJob);
  }

  record Launched(SignedInUser member, String username, UUID jobId) {}

  private static Launched launch(String tenant, Path train, Path heldOut, double rate, long seed) {
    String username = "sam-" + PlatformTestSupport.suffix();
    SignedInUser member =
        PlatformTestSupport.memberOfNewTenant(
            app, tenant + " " + PlatformTestSupport.suffix(), username);
    DatasetService datasets = app.getBean(DatasetService.class);
    DatasetSummary receipts =
        as(
                member,
                () ->
                    datasets.upload(
                        "receipts",
                        "train.jsonl",
                        train,
                        DatasetUploadOptions.defaults()
                            .withSplit(new DatasetSplit.SeparateFile("held-out.jsonl", heldOut))))
            .dataset();
    UUID demo = app.getBean(CatalogService.class).findByName(DemoModel.NAME).orElseThrow().getId();
    FineTuneRequest request =
        FineTuneRequest.builder()
            .setBaseModel(demo)
            .setDatasetVersion(receipts.versionId())
            .optLora(8, 16, 0.0)
            .optTargetModules(List.of("q_proj", "k_proj", "v_proj", "o_proj"))
            .optEpochs(10)
            .optLearningRate(rate)
            .optSeed(seed)
            .optBatchSize(4)
            .optMaxSequenceLength(1024)
            .optMaxSteps(8)
            .optCheckpointEvery(8)
            .optEvaluation(null, HELD_OUT)
            .build();
    FineTuneJob job = as(member, () -> app.getBean(FineTuneService.class).create(request));
    return new Launched(member, username, job.getId());
  }

  private static Tenant finished(Launched launched) {
    SignedInUser member = launched.member();
    UUID jobId = launched.jobId();
    FineTuneJob job =
        PlatformTestSupport.awaitFinished(
            env.platform(), member, jobId, Duration.ofMinutes(15), env.platform().dataDir());
    assertThat(job.getStatus()).as(job.getError()).isEqualTo(JobStatus.SUCCEEDED);
    EvaluationService evaluations = app.getBean(EvaluationService.class);
    StoredEvaluation stored =
        Awaitility.await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> as(member, () -> evaluations.find(jobId)), e -> e.isPresent())
            .orElseThrow();
    EvaluationExample example = as(member, () -> evaluations.generations(stored.row())).getFirst();
    return new Tenant(member, launched.username(), job, example, stored.row().getMaxNewTokens());
  }

  @Test
  void twoTenantsAdaptersOnOneBaseAnswerAtOnceEachAsItsOwnAlone() throws Exception {
    ServingService serving = app.getBean(ServingService.class);
    ServedModel firstModel =
        as(first.member(), () -> serving.tunedModel(first.job().getId())).orElseThrow();
    ServedModel secondModel =
        as(second.member(), () -> serving.tunedModel(second.job().getId())).orElseThrow();
    CompletableFuture<String> forFirst =
        CompletableFuture.supplyAsync(() -> answer(first, firstModel));
    CompletableFuture<String> forSecond =
        CompletableFuture.supplyAsync(() -> answer(second, secondModel));
    assertThat(forFirst.get()).isEqualTo(first.example().tunedOutput());
    assertThat(forSecond.get()).isEqualTo(second.example().tunedOutput());
    assertThat(first.example().tunedOutput())
        .as("the two adapters answer differently, so each answer shows whose adapter ran")
        .isNotEqualTo(second.example().tunedOutput());

    assertThatThrownBy(() -> as(first.member(), () -> serving.model(secondModel.name())))
        .isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> as(second.member(), () -> serving.model(firstModel.name())))
        .isInstanceOf(ModelNotFoundException.class);

    ServingMeter meter = app.getBean(ServingMeter.class);
    YearMonth month = YearMonth.now(ZoneOffset.UTC);
    for (Tenant tenant : List.of(first, second)) {
      List<ServedTokens> served =
          Awaitility.await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> as(tenant.member(), () -> meter.inMonth(month)), r -> !r.isEmpty());
      assertThat(served)
          .allSatisfy(
              s ->
                  assertThat(s.getModel())
                      .isEqualTo(tenant == first ? firstModel.name() : secondModel.name()))
          .allSatisfy(s -> assertThat(s.getPromptTokens()).isPositive());
    }
  }

  @Test
  void thePlaygroundStreamsBothAnswersToAReceiptSideBySide() {
    Page page = env.browser().newPage();
    String base = env.platform().baseUrl();
    BrowserSupport.signIn(page, base, first.username(), "correct-horse-1");
    page.navigate(base + "/finetunes/" + first.job().getId());
    page.locator("#open-playground").click();
    assertThat(page.locator("#playground-document textarea"))
        .hasValue(first.example().prompt().getLast().content());
    page.locator("#playground-max-tokens input").fill(Integer.toString(first.maxNewTokens()));
    page.locator("#playground-generate").click();
    LocatorAssertions.HasAttributeOptions long_ =
        new LocatorAssertions.HasAttributeOptions().setTimeout(180_000);
    assertThat(page.locator("#playground-tuned-status")).hasAttribute("data-state", "done", long_);
    assertThat(page.locator("#playground-base-status")).hasAttribute("data-state", "done", long_);
    assertThat(page.locator("#playground-tuned-answer")).hasText(first.example().tunedOutput());
    assertThat(page.locator("#playground-base-answer")).hasText(first.example().baseOutput());
    BrowserSupport.screenshot(page, "playground.png");
  }

  private static String answer(Tenant tenant, ServedModel model) {
    ServingService serving = app.getBean(ServingService.class);
    Generation generation =
        as(
            tenant.member(),
            () ->
                serving.chat(
                    model,
                    tenant.example().prompt(),
                    GenerationSettings.greedy(tenant.maxNewTokens(), false),
                    tenant.username()));
    StringBuilder text = new StringBuilder();
    try {
      GenerationChunk chunk;
      do {
        chunk = serving.next(generation);
        text.append(chunk.delta());
      } while (!chunk.isLast());
      assertThat(chunk.error()).isNull();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }
}
