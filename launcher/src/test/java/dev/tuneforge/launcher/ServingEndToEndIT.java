package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.apikey.ApiKeys;
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
import dev.tuneforge.app.serving.ServingService;
import dev.tuneforge.app.usage.ServedTokens;
import dev.tuneforge.app.usage.ServingMeter;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.PromptMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serving from the real node started with {@code --serve}: two tenants each tune the demo model on
 * SROIE receipts, then ask their tuned models at once through the official openai-java client,
 * streamed and whole, with their own API keys; each greedy answer is the answer its own adapter
 * gave the same receipt in its evaluation, where the node generated it with that adapter alone, and
 * the base model's is the base's. Neither tenant can call the other's model (404), the tokens are
 * metered for each, the npm {@code openai} client streams one answer, and in chromium the
 * playground streams the tuned and the base model's answers to a receipt side by side.
 */
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
class ServingEndToEndIT {
  private static final int HELD_OUT = 2;
  private static final JsonMapper JSON = JsonMapper.builder().build();

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
      int maxNewTokens,
      String modelName,
      String key) {}

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
    String modelName =
        as(member, () -> app.getBean(ServingService.class).tunedModel(jobId)).orElseThrow().name();
    String key =
        as(member, () -> app.getBean(ApiKeys.class).issue(member.userId(), "serving", null)).text();
    return new Tenant(
        member, launched.username(), job, example, stored.row().getMaxNewTokens(), modelName, key);
  }

  @Test
  void twoTenantsAdaptersOnOneBaseAnswerAtOnceThroughTheOpenAiJavaClient() throws Exception {
    // at once: one streamed and one whole request per tenant, all four on the node together
    List<CompletableFuture<String>> answers = new ArrayList<>();
    for (Tenant tenant : List.of(first, second)) {
      answers.add(CompletableFuture.supplyAsync(() -> ask(tenant, tenant.modelName(), false)));
      answers.add(CompletableFuture.supplyAsync(() -> ask(tenant, tenant.modelName(), true)));
    }
    assertThat(answers.get(0).get()).isEqualTo(first.example().tunedOutput());
    assertThat(answers.get(1).get()).as("streamed").isEqualTo(first.example().tunedOutput());
    assertThat(answers.get(2).get()).isEqualTo(second.example().tunedOutput());
    assertThat(answers.get(3).get()).as("streamed").isEqualTo(second.example().tunedOutput());
    assertThat(first.example().tunedOutput())
        .as("the two adapters answer differently, so each answer shows whose adapter ran")
        .isNotEqualTo(second.example().tunedOutput());
    assertThat(ask(first, DemoModel.NAME, false))
        .as("the base model alone")
        .isEqualTo(first.example().baseOutput());

    for (boolean stream : List.of(false, true)) {
      assertThatThrownBy(() -> ask(first, second.modelName(), stream))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("does not exist or you do not have access");
      assertThatThrownBy(() -> ask(second, first.modelName(), stream))
          .isInstanceOf(NotFoundException.class);
    }

    ServingMeter meter = app.getBean(ServingMeter.class);
    YearMonth month = YearMonth.now(ZoneOffset.UTC);
    for (Tenant tenant : List.of(first, second)) {
      List<ServedTokens> served =
          Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> as(tenant.member(), () -> meter.inMonth(month)),
                  rows ->
                      rows.stream().filter(s -> s.getModel().equals(tenant.modelName())).count()
                          >= 2);
      // the playground may have served this tenant too; nothing of the other tenant is here
      assertThat(served)
          .allSatisfy(s -> assertThat(s.getModel()).isIn(tenant.modelName(), DemoModel.NAME))
          .allSatisfy(s -> assertThat(s.getPromptTokens()).isPositive())
          .filteredOn(s -> s.getModel().equals(tenant.modelName()))
          .hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void theOpenAiNodeClientStreamsATunedModelsAnswer() throws Exception {
    Path cache =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "TUNEFORGE_OPENAI_NODE",
                    System.getProperty("user.home") + "/.cache/tuneforge/openai-node"));
    Path node = cache.resolve("node/bin/node");
    Assumptions.assumeTrue(
        Files.isExecutable(node)
            && Files.isRegularFile(cache.resolve("node_modules/openai/package.json")),
        "The OpenAI Node client is not fetched: run bin/fetch-openai-node");
    Path script = cache.resolve("serving-" + PlatformTestSupport.suffix() + ".mjs");
    Files.writeString(
        script,
        """
        import OpenAI from 'openai';
        const client = new OpenAI({ maxRetries: 0 });
        const stream = await client.chat.completions.create({
          model: process.env.MODEL, messages: JSON.parse(process.env.MESSAGES),
          temperature: 0, max_tokens: Number(process.env.MAX_TOKENS), stream: true });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
        console.log(JSON.stringify({ text }));
        """);
    try {
      ProcessBuilder builder =
          new ProcessBuilder(node.toString(), script.toString())
              .directory(cache.toFile())
              .redirectErrorStream(true);
      builder.environment().put("OPENAI_BASE_URL", env.platform().baseUrl() + "/v1");
      builder.environment().put("OPENAI_API_KEY", second.key());
      builder.environment().put("MODEL", second.modelName());
      builder.environment().put("MAX_TOKENS", Integer.toString(second.maxNewTokens()));
      builder.environment().put("MESSAGES", JSON.writeValueAsString(second.example().prompt()));
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      String last = output.strip().lines().reduce((a, b) -> b).orElse("{}");
      assertThat(JSON.readTree(last).path("text").asString())
          .isEqualTo(second.example().tunedOutput());
    } finally {
      Files.deleteIfExists(script);
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

  /** The greedy answer to the tenant's held-out receipt through the official Java client. */
  private static String ask(Tenant tenant, String model, boolean stream) {
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(env.platform().baseUrl() + "/v1")
            .apiKey(tenant.key())
            .maxRetries(0)
            .build();
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder()
            .model(model)
            .temperature(0.0)
            .maxCompletionTokens(tenant.maxNewTokens());
    for (PromptMessage message : tenant.example().prompt()) {
      switch (message.role()) {
        case "system" -> params.addSystemMessage(message.content());
        case "assistant" -> params.addAssistantMessage(message.content());
        default -> params.addUserMessage(message.content());
      }
    }
    if (!stream) {
      return client
          .chat()
          .completions()
          .create(params.build())
          .choices()
          .getFirst()
          .message()
          .content()
          .orElse("");
    }
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> chunks =
        client.chat().completions().createStreaming(params.build())) {
      chunks.stream()
          .forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    }
    return text.toString();
  }
}
