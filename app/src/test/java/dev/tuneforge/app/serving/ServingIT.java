package dev.tuneforge.app.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.TuneforgeApplication;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.apikey.ApiKeys;
import dev.tuneforge.app.finetune.FineTunedModelName;
import dev.tuneforge.app.node.NodeService;
import dev.tuneforge.app.node.ServingPolicy;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.ServedTokens;
import dev.tuneforge.app.usage.ServingMeter;
import dev.tuneforge.app.usage.UsageReport;
import dev.tuneforge.app.usage.UsageReports;
import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.NodeApi;
import dev.tuneforge.protocol.PromptMessage;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serving through the real node API: a node polls over HTTP and answers each generation with text
 * naming the adapter it was handed, so that two tenants' tuned models on one base, asked at once,
 * are each answered with their own adapter; a tenant naming the other's model is told it does not
 * exist; tokens are metered for the caller's tenant only; a node whose admin turned serving off
 * takes nothing, and its heartbeat reply says so.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tuneforge.serving.pickup-timeout=3s",
      "tuneforge.serving.poll-wait=1s",
      "tuneforge.usage.served-price-per1k-tokens=1"
    })
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class ServingIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired ServingService serving;
  @Autowired ApiKeys keys;
  @Autowired ServingMeter meter;
  @Autowired NodeService nodes;
  @Autowired ObjectStorage storage;
  @Autowired JdbcClient jdbc;
  @Autowired BudgetService budgets;
  @Autowired UsageReports reports;
  @Autowired Playground playground;
  @TempDir Path dir;

  private final AtomicBoolean nodeRuns = new AtomicBoolean(true);

  /** What the serving node got when it asked for each generation's files again, as it took it. */
  private final Map<String, HttpResponse<String>> filesSignedAgain = new ConcurrentHashMap<>();

  private SignedInUser alice;
  private SignedInUser bob;
  private String aliceModel;
  private String bobModel;
  private String baseName;
  private UUID nodeId;
  private String bearer;
  private Thread node;

  @BeforeEach
  void twoTenantsTunedOneBaseAndAServingNode() throws Exception {
    TestRows rows = new TestRows(jdbc);
    UUID model = UUID.randomUUID();
    String prefix = "models/serving-" + model + "/";
    baseName = "serving/base-" + model.toString().substring(0, 8);
    jdbc.sql(
            "insert into base_model (id, name, architecture, description, object_prefix, parameters, created_at)"
                + " values (?, ?, 'LlamaForCausalLM', '', ?, 1, now())")
        .params(model, baseName, prefix)
        .update();
    put(prefix + "config.json", "{}");
    put(prefix + "tokenizer.json", "{}");
    put(prefix + "model.safetensors", "weights");
    alice = member(rows, "alice");
    bob = member(rows, "bob");
    aliceModel = tunedModel(rows, alice, model);
    bobModel = tunedModel(rows, bob, model);

    TestNodeApi api = new TestNodeApi(port);
    bearer = "Bearer " + api.enrol(nodes.issueEnrolmentTokenForLocalNode(), "server");
    nodeId =
        jdbc.sql("select id from training_node where name = 'server' order by enrolled_at desc")
            .query(UUID.class)
            .list()
            .getFirst();
    node = Thread.ofVirtual().start(() -> serve(api));
  }

  /** Waits for the node's last poll to end, so that no later test's generation goes to it. */
  @AfterEach
  void stopNode() throws InterruptedException {
    nodeRuns.set(false);
    node.join();
  }

  @Test
  void twoTenantsTunedModelsOnOneBaseAreEachAnsweredByTheirOwnAdapterAtOnce() throws Exception {
    CompletableFuture<String> forAlice =
        CompletableFuture.supplyAsync(() -> ask(alice, aliceModel));
    CompletableFuture<String> forBob = CompletableFuture.supplyAsync(() -> ask(bob, bobModel));
    assertThat(forAlice.get())
        .isEqualTo("adapter " + FineTunedModelName.parse(aliceModel).orElseThrow().jobId());
    assertThat(forBob.get())
        .isEqualTo("adapter " + FineTunedModelName.parse(bobModel).orElseThrow().jobId());
    assertThat(ask(alice, baseName)).isEqualTo("base alone");
  }

  @Test
  void theNodeThatTookAGenerationGetsItsFilesSignedAgainForALeaseAndNoOtherNodeDoes()
      throws Exception {
    TestNodeApi api = new TestNodeApi(port);
    String other = "Bearer " + api.enrol(nodes.issueEnrolmentTokenForLocalNode(), "other-server");
    UUID job = FineTunedModelName.parse(aliceModel).orElseThrow().jobId();
    assertThat(ask(alice, aliceModel)).isEqualTo("adapter " + job);

    String id =
        filesSignedAgain.entrySet().stream()
            .filter(taken -> taken.getValue().body().contains(job.toString()))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(() -> new AssertionError("signed again: " + filesSignedAgain));
    HttpResponse<String> again = filesSignedAgain.get(id);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    JsonNode files = JSON.readTree(again.body());
    assertThat(files.path("adapter").path("cacheKey").asString()).isEqualTo(job.toString());
    String adapterUrl =
        files.path("adapter").path("files").path("adapter_model.safetensors").asString();
    assertThat(Integer.parseInt(adapterUrl.replaceAll(".*X-Amz-Expires=(\\d+).*", "$1")))
        .as("seconds the URL lives: a lease and its slack (3 min), not an hour")
        .isBetween(60, 600);
    assertThat(get(adapterUrl)).isEqualTo("lora");
    assertThat(get(files.path("baseModel").path("files").path("model.safetensors").asString()))
        .isEqualTo("weights");

    String path = NodeApi.forGeneration(NodeApi.GENERATION_FILES, id);
    assertThat(api.post(path, other, "").statusCode())
        .as("another node, for a generation it did not take")
        .isEqualTo(409);
    HttpResponse<String> ended =
        Awaitility.await("the generation's row gone once its caller read the answer")
            .atMost(Duration.ofSeconds(10))
            .until(() -> api.post(path, bearer, ""), response -> response.statusCode() == 409);
    assertThat(ended.body()).contains("this node runs no such generation");
  }

  @Test
  void aTenantCannotUseAnotherTenantsModelNorAnUnknownOne() {
    assertThatThrownBy(() -> TestRows.as(alice, () -> serving.model(bobModel)))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("does not exist or you do not have access");
    String forged = bobModel.replace(":bob-", ":alice-");
    assertThatThrownBy(() -> TestRows.as(alice, () -> serving.model(forged)))
        .isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> TestRows.as(alice, () -> serving.model("no/such-model")))
        .isInstanceOf(ModelNotFoundException.class);
  }

  @Test
  void tokensServedAreMeteredForTheCallersTenantOnly() {
    ask(alice, aliceModel);
    YearMonth month = YearMonth.now(ZoneOffset.UTC);
    // metered by the node's last chunk's request, which may return after the caller read it
    List<ServedTokens> served =
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> TestRows.as(alice, () -> meter.inMonth(month)), rows -> !rows.isEmpty());
    assertThat(served)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getModel()).isEqualTo(aliceModel);
              assertThat(s.getPromptTokens()).isEqualTo(11);
              assertThat(s.getCompletionTokens()).isEqualTo(2);
              assertThat(s.getCost())
                  .isEqualByComparingTo(
                      meter.pricePer1k().multiply(BigDecimal.valueOf(13)).movePointLeft(3));
            });
    assertThat(TestRows.as(bob, () -> meter.inMonth(month))).isEmpty();
  }

  @Test
  void aNodeWhoseServingIsOffTakesNothingAndItsHeartbeatSaysSo() throws Exception {
    TestRows.as(admin(), () -> nodes.setServingPolicy(nodeId, ServingPolicy.OFF));
    HttpResponse<String> reply =
        new TestNodeApi(port).post(NodeApi.HEARTBEAT, bearer, "{\"state\":\"idle\"}");
    assertThat(reply.body()).contains("\"servingPolicy\":\"off\"");
    // a poll already waiting when the policy changed still ends its wait (1 s here)
    Thread.sleep(1500);
    assertThatThrownBy(() -> ask(alice, aliceModel))
        .isInstanceOf(NoServingNodeException.class)
        .hasMessageContaining("No node serves now");
  }

  @Test
  void chatCompletionsAndCompletionsAnswerOverHttpWithAKeyWholeAndStreamed() throws Exception {
    String key =
        "Bearer " + TestRows.as(alice, () -> keys.issue(alice.userId(), "ci", null)).text();
    String expected = "adapter " + FineTunedModelName.parse(aliceModel).orElseThrow().jobId();
    String chat =
        "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Total?\"}],"
            + "\"temperature\":0,\"max_tokens\":16%s}";

    HttpResponse<String> whole = v1("/v1/chat/completions", key, chat.formatted(aliceModel, ""));
    assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(whole.body());
    assertThat(answer.path("object").asString()).isEqualTo("chat.completion");
    assertThat(answer.path("model").asString()).isEqualTo(aliceModel);
    assertThat(answer.at("/choices/0/message/content").asString()).isEqualTo(expected);
    assertThat(answer.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    assertThat(answer.at("/usage/total_tokens").asInt()).isEqualTo(13);

    HttpResponse<String> streamed =
        v1(
            "/v1/chat/completions",
            key,
            chat.formatted(
                aliceModel, ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamed.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    List<String> events =
        streamed
            .body()
            .lines()
            .filter(l -> l.startsWith("data: "))
            .map(l -> l.substring(6))
            .toList();
    assertThat(events.getLast()).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    for (String event : events.subList(0, events.size() - 1)) {
      JSON.readTree(event)
          .at("/choices/0/delta/content")
          .asOptional()
          .ifPresent(c -> text.append(c.asString()));
    }
    assertThat(text).hasToString(expected);
    assertThat(JSON.readTree(events.get(events.size() - 2)).at("/usage/prompt_tokens").asInt())
        .isEqualTo(11);

    HttpResponse<String> completion =
        v1(
            "/v1/completions",
            key,
            "{\"model\":\"%s\",\"prompt\":\"TOTAL RM\",\"max_tokens\":8}".formatted(aliceModel));
    assertThat(JSON.readTree(completion.body()).at("/choices/0/text").asString())
        .isEqualTo(expected);

    HttpResponse<String> others = v1("/v1/chat/completions", key, chat.formatted(bobModel, ""));
    assertThat(others.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(others.body()).at("/error/code").asString())
        .isEqualTo("model_not_found");
    HttpResponse<String> hot =
        v1(
            "/v1/chat/completions",
            key,
            chat.formatted(aliceModel, ",\"temperature\":5").replace("\"temperature\":0,", ""));
    assertThat(hot.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(hot.body()).at("/error/param").asString()).isEqualTo("temperature");
    assertThat(v1("/v1/chat/completions", null, chat.formatted(aliceModel, "")).statusCode())
        .as("no key")
        .isEqualTo(401);
  }

  @Test
  void servedTokensCountInTheReportAndAgainstTheBudgetAndASpentBudgetRefusesWith429()
      throws Exception {
    String key =
        "Bearer " + TestRows.as(alice, () -> keys.issue(alice.userId(), "budget", null)).text();
    String chat =
        "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Total?\"}],\"max_tokens\":16%s}";
    assertThat(v1("/v1/chat/completions", key, chat.formatted(aliceModel, "")).statusCode())
        .isEqualTo(200);
    YearMonth month = budgets.currentMonth();
    BigDecimal one = meter.pricePer1k().multiply(BigDecimal.valueOf(13)).movePointLeft(3);
    BigDecimal spent =
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> budgets.spend(alice.tenantId(), month), s -> s.signum() > 0);
    assertThat(spent).as("11 + 2 tokens at the price per 1,000").isEqualByComparingTo(one);
    UsageReport report = TestRows.as(alice, () -> reports.report(month));
    assertThat(report.total()).isEqualByComparingTo(one);
    assertThat(report.byKind().get("serving")).isEqualByComparingTo(one);
    assertThat(report.tokenLines())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.kind()).isEqualTo("serving");
              assertThat(l.what()).isEqualTo(aliceModel);
              assertThat(l.promptTokens()).isEqualTo(11);
              assertThat(l.completionTokens()).isEqualTo(2);
            });
    assertThat(TestRows.as(alice, () -> reports.csv(month)).lines())
        .anyMatch(l -> l.contains(",serving," + aliceModel + ",") && l.contains(",13,"));
    assertThat(TestRows.as(bob, () -> reports.report(month)).tokenLines())
        .as("the other tenant's report")
        .isEmpty();

    // Budgets are in cents: 0.01 is below the 0.013 spent.
    jdbc.sql("update tenant set monthly_budget = 0.01 where id = ?")
        .param(alice.tenantId())
        .update();
    for (String stream : List.of("", ",\"stream\":true")) {
      HttpResponse<String> refused =
          v1("/v1/chat/completions", key, chat.formatted(aliceModel, stream));
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
      JsonNode error = JSON.readTree(refused.body()).path("error");
      assertThat(error.path("type").asString()).isEqualTo("insufficient_quota");
      assertThat(error.path("code").asString()).isEqualTo("insufficient_quota");
      assertThat(error.path("message").asString())
          .startsWith("Not served: the tenant's monthly budget of")
          .contains("is spent");
    }
    assertThatThrownBy(() -> ask(alice, baseName))
        .as("the playground's generations too")
        .isInstanceOf(BudgetSpentException.class)
        .hasMessageContaining("monthly budget");
    assertThat(ask(bob, bobModel)).as("the other tenant is served").startsWith("adapter ");
  }

  /**
   * A second replica on the same database: a caller of replica B is answered by the node polling
   * this one (A), whole and streamed; prints the time to the first streamed event through each.
   */
  @Test
  void aRequestToAnotherReplicaIsAnsweredByTheNodePollingThisOneWholeAndStreamed()
      throws Exception {
    String key =
        "Bearer " + TestRows.as(alice, () -> keys.issue(alice.userId(), "replicas", null)).text();
    String expected = "adapter " + FineTunedModelName.parse(aliceModel).orElseThrow().jobId();
    String chat =
        "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Total?\"}],"
            + "\"max_tokens\":16%s}";
    try (ConfigurableApplicationContext replicaB =
        new SpringApplicationBuilder(TuneforgeApplication.class)
            .initializers(new TestDatabase(), new TestObjectStorage())
            .properties(
                "server.port=0",
                "tuneforge.serving.pickup-timeout=3s",
                "tuneforge.serving.poll-wait=1s",
                "tuneforge.usage.served-price-per1k-tokens=1")
            .run()) {
      int portB = ((WebServerApplicationContext) replicaB).getWebServer().getPort();
      TestNodeApi b = new TestNodeApi(portB);
      HttpResponse<String> whole =
          b.post("/v1/chat/completions", key, chat.formatted(aliceModel, ""));
      assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
      assertThat(JSON.readTree(whole.body()).at("/choices/0/message/content").asString())
          .isEqualTo(expected);
      HttpResponse<String> streamed =
          b.post("/v1/chat/completions", key, chat.formatted(aliceModel, ",\"stream\":true"));
      assertThat(streamed.statusCode()).isEqualTo(200);
      assertThat(streamed.body()).contains("\"content\":\"adapter \"").endsWith("data: [DONE]\n\n");
      assertThat(
              Awaitility.await()
                  .atMost(Duration.ofSeconds(10))
                  .until(
                      () -> TestRows.as(alice, () -> meter.inMonth(YearMonth.now(ZoneOffset.UTC))),
                      rows -> rows.size() == 2))
          .as("each answer metered once, by the replica that held its caller")
          .hasSize(2);
      System.out.printf(
          "time to first streamed event, median of 10: same replica %d ms, other replica %d ms%n",
          firstEventMillis(
              new TestNodeApi(port), key, chat.formatted(aliceModel, ",\"stream\":true")),
          firstEventMillis(b, key, chat.formatted(aliceModel, ",\"stream\":true")));
    }
  }

  private static long firstEventMillis(TestNodeApi replica, String key, String body)
      throws Exception {
    List<Long> millis = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long start = System.nanoTime();
      HttpResponse<java.io.InputStream> response =
          replica.postStreaming("/v1/chat/completions", key, body);
      try (java.io.BufferedReader lines =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
        String first = lines.readLine();
        millis.add((System.nanoTime() - start) / 1_000_000);
        assertThat(first).startsWith("data: ");
        while (lines.readLine() != null) {
          // read to the end, so the generation completes
        }
      }
    }
    return millis.stream().sorted().toList().get(millis.size() / 2);
  }

  @Test
  void thePlaygroundChecksAndChargesEachPanelSoABudgetSpentByTheFirstStopsTheSecond() {
    // Budgets are in cents: 0.01 is below the 0.013 the first answer costs.
    jdbc.sql("update tenant set monthly_budget = 0.01 where id = ?")
        .param(alice.tenantId())
        .update();
    UUID job = FineTunedModelName.parse(aliceModel).orElseThrow().jobId();
    Playground.Setup setup = TestRows.as(alice, () -> playground.open(job)).orElseThrow();
    List<String> texts = new CopyOnWriteArrayList<>();
    List<GenerationChunk> ends = new CopyOnWriteArrayList<>();
    TestRows.as(
        alice,
        () ->
            playground.compare(
                List.of(
                    new Playground.Panel(setup.tuned(), texts::add, ends::add),
                    new Playground.Panel(setup.base(), texts::add, ends::add)),
                List.of(new PromptMessage("user", "Total of the receipt?")),
                GenerationSettings.greedy(16, false),
                alice.getUsername()));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> ends.size() == 2);
    assertThat(ends.get(0).error()).isNull();
    assertThat(texts.getLast()).isEqualTo("adapter " + job);
    assertThat(ends.get(1).error())
        .as("the base model's panel")
        .startsWith("Not served: the tenant's monthly budget of")
        .contains("is spent");
    assertThat(budgets.spend(alice.tenantId(), budgets.currentMonth()))
        .as("only the first answer charged")
        .isEqualByComparingTo(meter.pricePer1k().multiply(BigDecimal.valueOf(13)).movePointLeft(3));
  }

  private HttpResponse<String> v1(String path, String authorization, String json) throws Exception {
    return new TestNodeApi(port).post(path, authorization, json);
  }

  private String ask(SignedInUser user, String model) {
    Generation generation =
        TestRows.as(
            user,
            () ->
                serving.chat(
                    serving.model(model),
                    List.of(new PromptMessage("user", "Total of the receipt?")),
                    GenerationSettings.greedy(16, false),
                    user.getUsername()));
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

  /** The serving node: names the adapter it was handed, in two chunks, with the usage. */
  private void serve(TestNodeApi api) {
    while (nodeRuns.get()) {
      try {
        // a node that stops heartbeating goes offline, and an offline node serves nothing
        api.post(NodeApi.HEARTBEAT, bearer, "{\"state\":\"idle\"}");
        HttpResponse<String> polled =
            api.post(
                NodeApi.GENERATIONS,
                bearer,
                "{\"loadedBaseModels\":[],\"loadedAdapters\":[],\"capacity\":4}");
        if (polled.statusCode() != 200) {
          continue;
        }
        for (JsonNode request : JSON.readTree(polled.body())) {
          String id = request.path("id").asString();
          filesSignedAgain.put(
              id, api.post(NodeApi.forGeneration(NodeApi.GENERATION_FILES, id), bearer, ""));
          String chunks = NodeApi.forGeneration(NodeApi.GENERATION_CHUNKS, id);
          JsonNode adapter = request.path("adapter");
          String first = adapter.isObject() ? "adapter " : "base";
          String second = adapter.isObject() ? adapter.path("cacheKey").asString() : " alone";
          api.post(chunks, bearer, JSON.writeValueAsString(GenerationChunk.text(0, first, 1)));
          api.post(
              chunks,
              bearer,
              JSON.writeValueAsString(
                  GenerationChunk.last(
                      1, second, 1, GenerationChunk.STOP, new GenerationChunk.Usage(11, 2))));
        }
      } catch (Exception e) {
        if (nodeRuns.get()) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private String tunedModel(TestRows rows, SignedInUser user, UUID model) {
    UUID version = rows.datasetVersion(user.tenantId(), user.userId(), 10, 100);
    UUID job = rows.job(user.tenantId(), user.userId(), model, version, "receipts", "succeeded");
    String adapter = ObjectKeys.jobAdapter(user.tenantId(), job, null);
    jdbc.sql("update fine_tune_job set adapter_prefix = ?, suffix = 'receipts' where id = ?")
        .params(adapter, job)
        .update();
    put(adapter + "adapter_config.json", "{}");
    put(adapter + "adapter_model.safetensors", "lora");
    String tenantName =
        jdbc.sql("select name from tenant where id = ?")
            .param(user.tenantId())
            .query(String.class)
            .single();
    return FineTunedModelName.of(baseName, tenantName, "receipts", job).toString();
  }

  private static SignedInUser member(TestRows rows, String name) {
    UUID tenant = rows.tenant(name);
    String username = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new SignedInUser(
        rows.user(tenant, username), tenant, username, username, Role.MEMBER, "x", true);
  }

  private static SignedInUser admin() {
    return new SignedInUser(
        UUID.randomUUID(), null, "root", "root", Role.PLATFORM_ADMIN, "x", true);
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private void put(String key, String text) {
    TestObjectStorage.putText(storage, dir, key, text);
  }
}
