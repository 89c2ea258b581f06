package dev.tuneforge.app.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestApi;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.apikey.ApiKeys;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI-compatible API over HTTP against real PostgreSQL and S3, as OpenAI's clients send it:
 * files are validated as dataset uploads (a malformed one answers 400 naming the line and stores
 * nothing), an Idempotency-Key answers a repeat with the first answer and another request with 409,
 * jobs are created, listed, paged, paused, resumed and cancelled, and every object of one tenant
 * answers 404 to another tenant's key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class OpenAiApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ROWS =
      """
      {"messages":[{"role":"user","content":"Total of: 3.50 CASH"},{"role":"assistant","content":"{\\"total\\":\\"3.50\\"}"}]}
      {"messages":[{"role":"user","content":"Total of: 9.10 CARD"},{"role":"assistant","content":"{\\"total\\":\\"9.10\\"}"}]}
      """;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired ApiKeys keys;
  @Autowired ObjectStorage storage;

  private final HttpClient http = HttpClient.newHttpClient();
  private TestApi api;
  private TestRows rows;
  private UUID tenantA;
  private UUID userA;
  private String keyA;
  private String keyB;
  private String model;

  @BeforeEach
  void tenants() {
    api = new TestApi(port);
    rows = new TestRows(jdbc);
    tenantA = rows.tenant("openai-a");
    userA = rows.user(tenantA, "a-" + UUID.randomUUID());
    keyA = TestApi.key(keys, userA, tenantA, Role.MEMBER);
    UUID tenantB = rows.tenant("openai-b");
    keyB = TestApi.key(keys, rows.user(tenantB, "b-" + UUID.randomUUID()), tenantB, Role.MEMBER);
    model = "base-" + UUID.randomUUID();
    rows.model(model);
  }

  @Test
  void filesAreValidatedListedReadAndDeletedAndAMalformedOneStoresNothing() throws Exception {
    HttpResponse<String> uploaded = upload(keyA, "receipts.jsonl", ROWS, "fine-tune", null);
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
    JsonNode file = JSON.readTree(uploaded.body());
    String id = file.path("id").asString();
    assertThat(id).startsWith("file-");
    assertThat(file.path("object").asString()).isEqualTo("file");
    assertThat(file.path("purpose").asString()).isEqualTo("fine-tune");
    assertThat(file.path("status").asString()).isEqualTo("processed");
    assertThat(file.path("filename").asString()).isEqualTo("receipts.jsonl");

    JsonNode list = json(api.call("GET", "/v1/files", keyA, null), 200);
    assertThat(list.path("object").asString()).isEqualTo("list");
    assertThat(list.path("data").valueStream().map(f -> f.path("id").asString()))
        .containsExactly(id);
    assertThat(api.call("GET", "/v1/files/" + id + "/content", keyA, null).body()).isEqualTo(ROWS);

    int versions = versions();
    int objects = storage.list(ObjectKeys.tenantPrefix(tenantA)).size();
    HttpResponse<String> broken =
        upload(
            keyA, "broken.jsonl", ROWS + "{\"messages\":[{\"role\":\"user\"}\n", "fine-tune", null);
    JsonNode error = json(broken, 400).path("error");
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asString()).isEqualTo("file");
    assertThat(error.path("code").asString()).isEqualTo("invalid_file");
    assertThat(error.path("message").asString()).contains("line 3");
    assertThat(versions()).as("no version stored").isEqualTo(versions);
    assertThat(storage.list(ObjectKeys.tenantPrefix(tenantA)))
        .as("no object stored")
        .hasSize(objects);
    assertThat(
            json(upload(keyA, "x.jsonl", ROWS, "assistants", null), 400)
                .path("error")
                .path("param")
                .asString())
        .isEqualTo("purpose");

    for (String path : List.of("/v1/files/" + id, "/v1/files/" + id + "/content")) {
      assertNotFound(api.call("GET", path, keyB, null));
    }
    assertNotFound(api.call("DELETE", "/v1/files/" + id, keyB, null));
    assertThat(json(api.call("GET", "/v1/files", keyB, null), 200).path("data")).isEmpty();

    JsonNode deleted = json(api.call("DELETE", "/v1/files/" + id, keyA, null), 200);
    assertThat(deleted.path("deleted").asBoolean()).isTrue();
    assertNotFound(api.call("GET", "/v1/files/" + id, keyA, null));
    assertThat(storage.list(ObjectKeys.tenantPrefix(tenantA))).hasSize(objects - 2);
  }

  @Test
  void anIdempotencyKeyAnswersARepeatWithTheFirstAnswerAndAnotherRequestWith409() throws Exception {
    HttpResponse<String> first = upload(keyA, "receipts.jsonl", ROWS, "fine-tune", "upload-1");
    HttpResponse<String> repeat = upload(keyA, "receipts.jsonl", ROWS, "fine-tune", "upload-1");
    assertThat(repeat.statusCode()).isEqualTo(200);
    assertThat(repeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(JSON.readTree(repeat.body())).isEqualTo(JSON.readTree(first.body()));
    assertThat(versions()).as("one upload stored").isEqualTo(1);
    JsonNode reused =
        json(
            upload(
                keyA,
                "other.jsonl",
                ROWS.lines().findFirst().orElseThrow(),
                "fine-tune",
                "upload-1"),
            409);
    assertThat(reused.path("error").path("code").asString()).isEqualTo("idempotency_key_reused");
    HttpResponse<String> otherTenant =
        upload(keyB, "receipts.jsonl", ROWS, "fine-tune", "upload-1");
    assertThat(otherTenant.headers().firstValue("Idempotent-Replayed"))
        .as("keys are per tenant")
        .isEmpty();

    String fileId = JSON.readTree(first.body()).path("id").asString();
    Map<String, Object> body =
        Map.of("model", model, "training_file", fileId, "suffix", "receipts");
    String job = json(create(body, "job-1"), 200).path("id").asString();
    assertThat(json(create(body, "job-1"), 200).path("id").asString()).isEqualTo(job);
    assertThat(json(create(Map.of("model", model, "training_file", fileId), "job-1"), 409))
        .isNotNull();
    assertThat(jobs()).isEqualTo(1);
  }

  @Test
  void jobsAreCreatedListedPagedPausedResumedAndCancelledAndBadRequestsStoreNothing()
      throws Exception {
    String fileId =
        JSON.readTree(upload(keyA, "receipts.jsonl", ROWS, "fine-tune", null).body())
            .path("id")
            .asString();
    JsonNode created =
        json(
            create(
                Map.of(
                    "model",
                    model,
                    "training_file",
                    fileId,
                    "seed",
                    3,
                    "metadata",
                    Map.of("team", "ocr"),
                    "hyperparameters",
                    Map.of(
                        "n_epochs",
                        2,
                        "batch_size",
                        "auto",
                        "lora_r",
                        4,
                        "evaluation_max_new_tokens",
                        32)),
                null),
            200);
    String id = created.path("id").asString();
    assertThat(id).startsWith("ftjob-");
    assertThat(created.path("object").asString()).isEqualTo("fine_tuning.job");
    assertThat(created.path("model").asString()).isEqualTo(model);
    assertThat(created.path("training_file").asString()).isEqualTo(fileId);
    assertThat(created.path("hyperparameters").path("n_epochs").asInt()).isEqualTo(2);
    assertThat(created.path("metadata").path("team").asString()).isEqualTo("ocr");
    assertThat(created.path("tuneforge").path("lora_r").asInt()).isEqualTo(4);
    assertThat(created.path("tuneforge").path("evaluation_max_new_tokens").asInt()).isEqualTo(32);

    int jobs = jobs();
    assertThat(
            json(
                    create(
                        Map.of(
                            "model",
                            model,
                            "training_file",
                            fileId,
                            "hyperparameters",
                            Map.of("n_epochs", 0)),
                        null),
                    400)
                .path("error")
                .path("param")
                .asString())
        .isEqualTo("hyperparameters.n_epochs");
    assertThat(
            json(create(Map.of("model", "gpt-4o-mini", "training_file", fileId), null), 400)
                .path("error")
                .path("code")
                .asString())
        .isEqualTo("model_not_available");
    assertThat(jobs()).as("nothing stored").isEqualTo(jobs);

    UUID queued =
        rows.job(
            tenantA,
            userA,
            rows.model("q-" + UUID.randomUUID()),
            UUID.fromString(fileId.substring(5)),
            "queued",
            "queued");
    String queuedId = "ftjob-" + queued;
    assertThat(
            json(api.call("POST", "/v1/fine_tuning/jobs/" + queuedId + "/pause", keyA, null), 200)
                .path("status")
                .asString())
        .isEqualTo("paused");
    assertThat(
            json(api.call("POST", "/v1/fine_tuning/jobs/" + queuedId + "/resume", keyA, null), 200)
                .path("status")
                .asString())
        .isEqualTo("queued");
    assertThat(
            json(api.call("POST", "/v1/fine_tuning/jobs/" + queuedId + "/cancel", keyA, null), 200)
                .path("status")
                .asString())
        .isEqualTo("cancelled");
    assertThat(
            json(api.call("POST", "/v1/fine_tuning/jobs/" + queuedId + "/pause", keyA, null), 409)
                .path("error")
                .path("message")
                .asString())
        .isEqualTo("Cannot pause a job that is cancelled");

    JsonNode page = json(api.call("GET", "/v1/fine_tuning/jobs?limit=1", keyA, null), 200);
    assertThat(page.path("data")).hasSize(1);
    assertThat(page.path("has_more").asBoolean()).isTrue();
    JsonNode next =
        json(
            api.call(
                "GET",
                "/v1/fine_tuning/jobs?limit=1&after=" + page.path("last_id").asString(),
                keyA,
                null),
            200);
    assertThat(next.path("data").get(0).path("id").asString())
        .isNotEqualTo(page.path("last_id").asString());

    JsonNode events =
        json(
            api.call("GET", "/v1/fine_tuning/jobs/" + queuedId + "/events?limit=2", keyA, null),
            200);
    assertThat(events.path("data")).hasSize(2);
    assertThat(events.path("data").get(0).path("message").asString())
        .isEqualTo("Cancelled before it started");
    assertThat(events.path("has_more").asBoolean()).isTrue();
    JsonNode older =
        json(
            api.call(
                "GET",
                "/v1/fine_tuning/jobs/"
                    + queuedId
                    + "/events?limit=2&after="
                    + events.path("last_id").asString(),
                keyA,
                null),
            200);
    assertThat(older.path("data").get(0).path("message").asString())
        .isEqualTo("Paused by user before it started");

    for (String path : List.of("", "/events", "/checkpoints")) {
      assertNotFound(api.call("GET", "/v1/fine_tuning/jobs/" + id + path, keyB, null));
    }
    for (String action : List.of("/cancel", "/pause", "/resume")) {
      assertNotFound(api.call("POST", "/v1/fine_tuning/jobs/" + id + action, keyB, null));
    }
    assertThat(json(api.call("GET", "/v1/fine_tuning/jobs", keyB, null), 200).path("data"))
        .isEmpty();
    assertThat(
            json(create(Map.of("model", model, "training_file", fileId), null, keyB), 400)
                .path("error")
                .path("param")
                .asString())
        .as("another tenant's file is no file of theirs")
        .isEqualTo("training_file");
  }

  @Test
  void modelsListBaseModelsAndTheTenantsTunedOnes() throws Exception {
    UUID version = rows.datasetVersion(tenantA, userA, 2, 10);
    UUID base =
        jdbc.sql("select id from base_model where name = ?")
            .param(model)
            .query(UUID.class)
            .single();
    UUID job = rows.job(tenantA, userA, base, version, "done", "succeeded");
    JsonNode models = json(api.call("GET", "/v1/models", keyA, null), 200);
    List<String> ids = models.path("data").valueStream().map(m -> m.path("id").asString()).toList();
    assertThat(ids).contains(model);
    String tuned = ids.stream().filter(m -> m.endsWith(":" + job)).findFirst().orElseThrow();
    assertThat(tuned).startsWith("ft:" + model + ":openai-a-");
    assertThat(
            json(api.call("GET", "/v1/models/" + tuned, keyA, null), 200).path("object").asString())
        .isEqualTo("model");
    assertNotFound(api.call("GET", "/v1/models/" + tuned, keyB, null));
    assertThat(json(api.call("GET", "/v1/models", keyB, null), 200).toString())
        .doesNotContain(job.toString());
    assertNotFound(api.call("GET", "/v1/models/no-such-model", keyA, null));
    assertThat(api.call("GET", "/v1/models", null, null).statusCode()).isEqualTo(401);
  }

  private HttpResponse<String> create(Map<String, Object> body, @Nullable String idempotencyKey)
      throws Exception {
    return create(body, idempotencyKey, keyA);
  }

  private HttpResponse<String> create(
      Map<String, Object> body, @Nullable String idempotencyKey, String key) throws Exception {
    HttpRequest.Builder request =
        api.request("/v1/fine_tuning/jobs")
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> upload(
      String key, String fileName, String content, String purpose, @Nullable String idempotencyKey)
      throws Exception {
    String boundary = "tuneforge-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                + purpose
                + "\r\n"
                + "--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: application/jsonl\r\n\r\n"
                + content
                + "\r\n--"
                + boundary
                + "--\r\n")
            .getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder request =
        api.request("/v1/files")
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return JSON.readTree(response.body());
  }

  private static void assertNotFound(HttpResponse<String> response) {
    JsonNode error = json(response, 404).path("error");
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asString()).startsWith("No such");
  }

  private int versions() {
    return jdbc.sql("select count(*) from dataset_version where tenant_id = ?")
        .param(tenantA)
        .query(Integer.class)
        .single();
  }

  private int jobs() {
    return jdbc.sql("select count(*) from fine_tune_job where tenant_id = ?")
        .param(tenantA)
        .query(Integer.class)
        .single();
  }
}
