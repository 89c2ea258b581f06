package dev.tuneforge.app.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestApi;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.apikey.ApiKeys;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fine-tune's downloads over {@code /api} with API keys, on real PostgreSQL and S3: the adapter
 * streams as the page's zip and is audited as a download; the merged model and its GGUF answer 409
 * until a merge, requested with {@code POST .../exports}, succeeded, and then stream; another
 * tenant's key gets 404 for every download and starts no merge. A merge is cancelled with {@code
 * POST .../exports/cancel}: at once while queued, at its node's next heartbeat while running, 409
 * once there is nothing to cancel, 404 for another tenant.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class ExportApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired ApiKeys keys;
  @Autowired ObjectStorage storage;
  @TempDir Path dir;

  @Test
  void downloadsStreamOnceReadyAndOnlyForTheTeam() throws Exception {
    TestApi api = new TestApi(port);
    TestRows rows = new TestRows(jdbc);
    SignedInUser member = rows.member("export-api");
    UUID tenant = member.tenantId();
    UUID model = rows.model("export-api-model-" + UUID.randomUUID());
    UUID version = rows.datasetVersion(tenant, member.userId(), 10, 100);
    UUID job = rows.job(tenant, member.userId(), model, version, "receipts", "succeeded");
    String adapter = ObjectKeys.jobAdapter(tenant, job, null);
    jdbc.sql("update fine_tune_job set adapter_prefix = ?, steps = 40 where id = ?")
        .params(adapter, job)
        .update();
    put(adapter + "adapter_config.json", "{\"r\":8}");
    put(adapter + "adapter_model.safetensors", "lora");
    String key = TestApi.key(keys, member.userId(), tenant, Role.MEMBER);
    String base = "/api/fine-tunes/" + job;

    HttpResponse<byte[]> zip = bytes(api, base + "/adapter", key);
    assertThat(zip.statusCode()).isEqualTo(200);
    assertThat(zip.headers().firstValue("Content-Disposition").orElseThrow())
        .contains("adapter-" + job + ".zip");
    assertThat(entries(zip.body()))
        .contains("adapter_config.json", "adapter_model.safetensors", "README.md");
    Awaitility.await("the download's audit record")
        .atMost(Duration.ofSeconds(30))
        .until(() -> downloads(tenant, "adapter.zip") == 1);

    HttpResponse<String> notMerged = api.call("GET", base + "/merged", key, null);
    assertThat(notMerged.statusCode()).isEqualTo(409);
    JsonNode problem = JSON.readTree(notMerged.body());
    assertThat(problem.path("code").asString()).isEqualTo("export_not_ready");
    assertThat(problem.path("detail").asString()).contains("POST " + base + "/exports");
    assertThat(api.call("GET", base + "/gguf", key, null).statusCode()).isEqualTo(409);
    assertThat(api.call("GET", base + "/model", key, null).statusCode())
        .as("a LoRA job's model is its adapter or its merge")
        .isEqualTo(409);

    SignedInUser stranger = rows.member("export-api-other");
    String otherKey = TestApi.key(keys, stranger.userId(), stranger.tenantId(), Role.MEMBER);
    for (String path : List.of("/adapter", "/merged", "/gguf", "/modelfile", "/exports")) {
      HttpResponse<String> hidden = api.call("GET", base + path, otherKey, null);
      assertThat(hidden.statusCode()).as(path).isEqualTo(404);
      assertThat(JSON.readTree(hidden.body()).path("code").asString()).isEqualTo("not_found");
    }
    assertThat(api.call("POST", base + "/exports", otherKey, null).statusCode()).isEqualTo(404);
    assertThat(merges(job)).as("another tenant starts no merge").isZero();

    HttpResponse<String> requested = api.call("POST", base + "/exports", key, null);
    assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
    assertThat(JSON.readTree(requested.body()).path("merged").asString()).isEqualTo("queued");
    assertThat(merges(job)).isEqualTo(1);
    // The merge as a node would finish it, so that no node of another test takes it.
    jdbc.sql("update merged_export set status = 'succeeded' where job_id = ?").param(job).update();
    String merged = ObjectKeys.jobMerged(tenant, job, null);
    put(merged + "config.json", "{}");
    put(merged + "model.safetensors", "merged");
    put(merged + "model-q8_0.gguf", "GGUF q8");
    put(merged + "Modelfile", "FROM ./model-q8_0.gguf");

    assertThat(entries(bytes(api, base + "/merged", key).body()))
        .contains("config.json", "model.safetensors", "README.md")
        .doesNotContain("model-q8_0.gguf");
    HttpResponse<byte[]> gguf = bytes(api, base + "/gguf?type=q8_0", key);
    assertThat(gguf.statusCode()).isEqualTo(200);
    assertThat(new String(gguf.body(), StandardCharsets.UTF_8)).isEqualTo("GGUF q8");
    assertThat(api.call("GET", base + "/gguf?type=f16", key, null).statusCode())
        .as("the merge wrote no F16 file")
        .isEqualTo(404);
    HttpResponse<String> badType = api.call("GET", base + "/gguf?type=q2", key, null);
    assertThat(badType.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badType.body()).path("detail").asString()).contains("q8_0");
    JsonNode exports = JSON.readTree(api.call("GET", base + "/exports", key, null).body());
    assertThat(exports.path("merged").asString()).isEqualTo("succeeded");
    assertThat(exports.path("files").valueStream().map(JsonNode::asString))
        .containsExactly("model-q8_0.gguf", "Modelfile");
    assertThat(api.call("GET", base + "/gguf", otherKey, null).statusCode()).isEqualTo(404);

    UUID running = rows.job(tenant, member.userId(), model, version, "later", "running");
    HttpResponse<String> early =
        api.call("GET", "/api/fine-tunes/" + running + "/adapter", key, null);
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(early.body()).path("detail").asString()).contains("running");
  }

  @Test
  void aMergeIsCancelledOverTheApiOnlyByItsTeamAndOnlyWhileItWaitsOrRuns() throws Exception {
    TestApi api = new TestApi(port);
    TestRows rows = new TestRows(jdbc);
    SignedInUser member = rows.member("export-cancel");
    UUID tenant = member.tenantId();
    UUID model = rows.model("export-cancel-model-" + UUID.randomUUID());
    UUID version = rows.datasetVersion(tenant, member.userId(), 10, 100);
    UUID job = rows.job(tenant, member.userId(), model, version, "receipts", "succeeded");
    String key = TestApi.key(keys, member.userId(), tenant, Role.MEMBER);
    String cancel = "/api/fine-tunes/" + job + "/exports/cancel";

    HttpResponse<String> nothing = api.call("POST", cancel, key, null);
    assertThat(nothing.statusCode()).as("no merge yet").isEqualTo(409);
    assertThat(JSON.readTree(nothing.body()).path("code").asString())
        .isEqualTo("export_not_cancellable");

    // no node of another test takes the merge between the two calls
    jdbc.sql("update training_node set state = 'offline' where state <> 'offline'").update();
    assertThat(api.call("POST", "/api/fine-tunes/" + job + "/exports", key, null).statusCode())
        .isEqualTo(202);
    SignedInUser stranger = rows.member("export-cancel-other");
    String otherKey = TestApi.key(keys, stranger.userId(), stranger.tenantId(), Role.MEMBER);
    HttpResponse<String> hidden = api.call("POST", cancel, otherKey, null);
    assertThat(hidden.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(hidden.body()).path("code").asString()).isEqualTo("not_found");
    assertThat(mergeStatus(job)).as("another tenant cancels nothing").isEqualTo("queued");

    HttpResponse<String> cancelled = api.call("POST", cancel, key, null);
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
    assertThat(JSON.readTree(cancelled.body()).path("merged").asString()).isEqualTo("cancelled");
    assertThat(mergeStatus(job)).isEqualTo("cancelled");
    HttpResponse<String> again = api.call("POST", cancel, key, null);
    assertThat(again.statusCode()).as("a cancelled merge has nothing to cancel").isEqualTo(409);
    assertThat(JSON.readTree(again.body()).path("code").asString())
        .isEqualTo("export_not_cancellable");
    assertThat(
            jdbc.sql(
                    "select count(*) from audit_record where tenant_id = ?"
                        + " and action = 'MERGE_CANCELLED'")
                .param(tenant)
                .query(Long.class)
                .single())
        .isEqualTo(1);

    // a running merge: its node hears the cancel, the merge says so until the node reports
    UUID node = rows.node("cpu", "cpu");
    jdbc.sql(
            "update merged_export set status = 'running', node_id = ?,"
                + " lease_expires_at = now() + interval '1 minute' where job_id = ?")
        .params(node, job)
        .update();
    HttpResponse<String> stopping = api.call("POST", cancel, key, null);
    assertThat(stopping.statusCode()).isEqualTo(202);
    JsonNode state = JSON.readTree(stopping.body());
    assertThat(state.path("merged").asString()).isEqualTo("running");
    assertThat(state.path("cancelRequested").asBoolean()).isTrue();
    jdbc.sql("update merged_export set status = 'cancelled', node_id = null where job_id = ?")
        .param(job)
        .update();
  }

  private String mergeStatus(UUID job) {
    return jdbc.sql("select status from merged_export where job_id = ?")
        .param(job)
        .query(String.class)
        .single();
  }

  private HttpResponse<byte[]> bytes(TestApi api, String path, String key) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            api.request(path).header("Authorization", "Bearer " + key).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private static List<String> entries(byte[] zip) throws Exception {
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        names.add(entry.getName());
      }
    }
    return names;
  }

  private long downloads(UUID tenant, String file) {
    return jdbc.sql(
            "select count(*) from audit_record where tenant_id = ? and action = 'DOWNLOADED'"
                + " and target = ?")
        .params(tenant, file)
        .query(Long.class)
        .single();
  }

  private long merges(UUID job) {
    return jdbc.sql("select count(*) from merged_export where job_id = ?")
        .param(job)
        .query(Long.class)
        .single();
  }

  private void put(String key, String text) {
    TestObjectStorage.putText(storage, dir, key, text);
  }
}
