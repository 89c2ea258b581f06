package dev.tuneforge.app.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.node.NodeService;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.usage.UsageKind;
import dev.tuneforge.app.usage.UsageRecord;
import dev.tuneforge.app.usage.UsageService;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.NodeApi;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.yaml.snakeyaml.Yaml;

/**
 * The downloads of a finished LoRA job: the adapter zip holds the adapter, the base's tokenizer
 * files and chat template, and a model card whose front matter names the base by its Hugging Face
 * id and whose body holds the base-vs-tuned table field by field; the merged export queues for a
 * node, goes back to the queue when its node is lost or starts again, can be cancelled (a running
 * one at its node's next heartbeat, its uploaded files removed), and once merged downloads with its
 * card; its time on a node leased over the node API is metered like training; a browser that aborts
 * a zip midway leaves no storage stream open. No other tenant downloads or starts anything of it:
 * 404, as for a job that does not exist. Other test classes share the database: the merge tests
 * first take their nodes offline and their waiting work out of the queue, so that no other node
 * takes this test's merge and this test's node takes nothing else.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class ExportIT {
  @Autowired ExportDownloadController downloads;
  @Autowired MergedExportService merges;
  @Autowired ExportLeasing leasing;
  @Autowired ObjectStorage storage;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;
  @Autowired NodeService nodes;
  @Autowired UsageService usage;
  @LocalServerPort int port;
  @TempDir Path dir;

  private TestRows rows;
  private UUID tenant;
  private UUID user;
  private UUID other;
  private UUID otherUser;
  private UUID job;

  @BeforeEach
  void aSucceededLoraJobWithAnEvaluation() throws Exception {
    rows = new TestRows(jdbc);
    tenant = rows.tenant("export");
    user = rows.user(tenant, "export-" + UUID.randomUUID());
    other = rows.tenant("other");
    otherUser = rows.user(other, "other-" + UUID.randomUUID());
    UUID model = UUID.randomUUID();
    String modelPrefix = "models/Qwen/Qwen3-0.6B-" + model + "/";
    jdbc.sql(
            "insert into base_model (id, name, architecture, description, object_prefix, parameters, revision, created_at)"
                + " values (?, ?, 'Qwen3ForCausalLM', '', ?, 1, 'c1899de', now())")
        .params(model, "Qwen/Qwen3-0.6B-" + model.toString().substring(0, 8), modelPrefix)
        .update();
    Map<String, String> modelFiles = new LinkedHashMap<>();
    modelFiles.put("config.json", "{\"architectures\":[\"Qwen3ForCausalLM\"]}");
    modelFiles.put("tokenizer.json", "{\"model\":{}}");
    modelFiles.put("tokenizer_config.json", "{\"eos_token\":\"<|im_end|>\"}");
    modelFiles.put("chat_template.jinja", "{% for m in messages %}{{ m.content }}{% endfor %}");
    modelFiles.put("model.safetensors", "weights");
    modelFiles.forEach((name, text) -> put(modelPrefix + name, text));
    UUID version = rows.datasetVersion(tenant, user, 10, 100);
    job = rows.job(tenant, user, model, version, "receipts", "succeeded");
    String adapter = ObjectKeys.jobAdapter(tenant, job, null);
    jdbc.sql("update fine_tune_job set adapter_prefix = ?, steps = 40 where id = ?")
        .params(adapter, job)
        .update();
    put(adapter + "adapter_config.json", "{\"base_model_name_or_path\":\"Qwen/Qwen3-0.6B\"}");
    put(adapter + "adapter_model.safetensors", "lora");
    String metrics =
        "{\"examples\":2,\"jsonValidity\":%s,\"objectMatch\":%s,\"microPrecision\":%s,\"microRecall\":%s,"
            + "\"microF1\":%s,\"rougeL\":0.5,\"textMatch\":0.0,\"loss\":1.5,\"perplexity\":4.4,\"tokenAccuracy\":0.6}";
    String score =
        "{\"exactMatch\":%s,\"normalisedMatch\":%s,\"precision\":%s,\"recall\":%s,\"f1\":%s,"
            + "\"truePositives\":1,\"falsePositives\":0,\"falseNegatives\":1}";
    jdbc.sql(
            "insert into evaluation (job_id, tenant_id, status, kind, examples, decoding, max_new_tokens, seconds,"
                + " generated_tokens, generations_key, base_metrics, tuned_metrics, field_metrics, created_at)"
                + " values (?, ?, 'succeeded', 'extraction', 2, 'greedy', 64, 1.5, 20, 'k', ?, ?, ?, now())")
        .params(
            job,
            tenant,
            metrics.formatted(0.5, 0.0, 0.25, 0.25, 0.25),
            metrics.formatted(1.0, 0.5, 0.75, 0.75, 0.75),
            "[{\"path\":\"total\",\"support\":2,\"base\":"
                + score.formatted(0.0, 0.5, 0.5, 0.5, 0.5)
                + ",\"tuned\":"
                + score.formatted(1.0, 1.0, 1.0, 1.0, 1.0)
                + "}]")
        .update();
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void theAdapterZipHoldsTokenizerFilesAndAModelCardWithTheEvaluation() throws Exception {
    Map<String, String> zip = unzip(as(tenant, user, () -> downloads.adapter(job)));

    assertThat(zip.keySet())
        .containsExactlyInAnyOrder(
            "adapter_config.json",
            "adapter_model.safetensors",
            "tokenizer.json",
            "tokenizer_config.json",
            "chat_template.jinja",
            "README.md");
    assertThat(zip.get("chat_template.jinja")).contains("m.content");
    String card = zip.get("README.md");
    assertThat(card).startsWith("---\n");
    Map<String, Object> front = new Yaml().load(card.split("---\n")[1]);
    assertThat(front.get("base_model").toString()).startsWith("Qwen/Qwen3-0.6B-");
    assertThat(front)
        .containsEntry("library_name", "peft")
        .containsEntry("pipeline_tag", "text-generation");
    assertThat(front.get("tags"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .contains("lora", "tuneforge");
    assertThat(front.get("datasets"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .singleElement()
        .asString()
        .endsWith(" v1");
    assertThat(card)
        .contains("revision `c1899de`")
        .contains("| LoRA r | 8 |", "| learning rate | 2.0E-4 |", "| steps trained | 40 |")
        .contains("## Evaluation: base vs tuned")
        .contains("| field F1 (micro) | 0.250 | 0.750 |")
        .contains("| `total` | 2 | 0.000 | 1.000 | 0.500 | 1.000 |");

    assertThat(as(other, otherUser, () -> downloads.adapter(job)).getStatusCode().value())
        .isEqualTo(404);
    assertThat(as(other, otherUser, () -> downloads.tunedModel(job)).getStatusCode().value())
        .as("a LoRA job has no tuned model")
        .isEqualTo(404);
  }

  @Test
  void aBrowserThatAbortsTheZipMidwayLeavesNoStorageStreamOpen() throws Exception {
    int before = storage.openStreams();
    ResponseEntity<StreamingResponseBody> response = as(tenant, user, () -> downloads.adapter(job));

    OutputStream goneMidway =
        new OutputStream() {
          private int written;

          @Override
          public void write(int b) throws IOException {
            if (++written > 200) {
              throw new IOException("Broken pipe (the browser closed the download)");
            }
          }
        };
    assertThatThrownBy(() -> response.getBody().writeTo(goneMidway))
        .isInstanceOf(IOException.class);
    assertThat(storage.openStreams()).as("every storage stream closed").isEqualTo(before);
  }

  @Test
  void aMergeQueuesRequeuesWhenItsNodeIsLostAndDownloadsWithItsCard() throws Exception {
    nothingElseOnlineOrWaiting();
    UUID node = rows.node("cpu", "cpu");
    assertThat(as(tenant, user, () -> downloads.mergedModel(job)).getStatusCode().value())
        .isEqualTo(404);
    assertThatThrownBy(() -> as(other, otherUser, () -> merges.start(job)))
        .isInstanceOf(IllegalArgumentException.class);

    MergedExport merge = as(tenant, user, () -> merges.start(job));
    assertThat(merge.getStatus()).isEqualTo(MergedExport.QUEUED);
    assertThat(as(tenant, user, () -> merges.start(job)).getId())
        .as("a second click finds the same merge")
        .isEqualTo(merge.getId());
    assertThat(as(other, otherUser, () -> merges.find(job))).isEmpty();
    assertThat(leasing.waiting()).extracting(MergedExport::getId).contains(merge.getId());

    assertThat(leasing.assign(merge.getId(), node, clock.instant().plusSeconds(60))).isTrue();
    assertThat(leasing.start(node, clock.instant().plusSeconds(60))).isPresent();
    assertThat(leasing.record(node, merge.getId(), List.of(JobEvent.merge(3, 8, "merged q_proj"))))
        .isTrue();
    MergedExport running = as(tenant, user, () -> merges.find(job)).orElseThrow();
    assertThat(running.getDone()).isEqualTo(3);
    assertThat(running.getTotal()).isEqualTo(8);
    String lostHolding = ObjectKeys.jobMerged(tenant, job, running.getLeaseId());

    clock.advance(Duration.ofSeconds(61));
    // the liveness job may get there first; either way the merge waits again
    assertThat(leasing.requeueExpired(clock.instant())).isLessThanOrEqualTo(1);
    assertThat(as(tenant, user, () -> merges.find(job)).orElseThrow().getStatus())
        .isEqualTo(MergedExport.QUEUED);

    UUID second = rows.node("cpu", "cpu");
    assertThat(leasing.assign(merge.getId(), second, clock.instant().plusSeconds(60))).isTrue();
    assertThat(leasing.start(second, clock.instant().plusSeconds(60))).isPresent();
    assertThat(leasing.complete(node, merge.getId(), JobResult.succeeded(0, 0)))
        .as("the lost node no longer holds it")
        .isFalse();
    UUID holding = as(tenant, user, () -> merges.find(job)).orElseThrow().getLeaseId();
    assertThat(holding).as("the second node's holding").isNotNull();
    String merged = ObjectKeys.jobMerged(tenant, job, holding);
    assertThat(merged).isNotEqualTo(lostHolding);
    put(merged + "model.safetensors", "merged weights");
    put(merged + "config.json", "{}");
    put(merged + "tokenizer.json", "{}");
    put(merged + "model-q8_0.gguf", "GGUF q8");
    put(merged + "model-q4_k_m.gguf", "GGUF q4_k_m");
    put(merged + "Modelfile", "FROM ./model-q8_0.gguf\n");
    assertThat(as(tenant, user, () -> merges.localRuntimeFiles(job))).isEmpty();
    assertThat(leasing.complete(second, merge.getId(), JobResult.succeeded(0, 0))).isTrue();
    // the lost node, its upload URLs not yet run out, writes too: into its own holding's folder
    put(lostHolding + "model.safetensors", "the lost node's weights");

    Map<String, String> zip = unzip(as(tenant, user, () -> downloads.mergedModel(job)));
    assertThat(zip.keySet())
        .containsExactlyInAnyOrder(
            "model.safetensors", "config.json", "tokenizer.json", "README.md");
    assertThat(zip.get("model.safetensors"))
        .as("the weights of the holding that succeeded")
        .isEqualTo("merged weights");
    Map<String, Object> front = new Yaml().load(zip.get("README.md").split("---\n")[1]);
    assertThat(front).containsEntry("library_name", "transformers");
    assertThat(zip.get("README.md")).contains("merged into");
    assertThat(as(other, otherUser, () -> downloads.mergedModel(job)).getStatusCode().value())
        .isEqualTo(404);

    // The GGUF and the Modelfile download one by one, under the names the Modelfile uses.
    assertThat(as(tenant, user, () -> merges.localRuntimeFiles(job)))
        .containsExactly("model-q8_0.gguf", "model-q4_k_m.gguf", "Modelfile");
    ResponseEntity<StreamingResponseBody> gguf = as(tenant, user, () -> downloads.ggufQ80(job));
    assertThat(gguf.getHeaders().getFirst("Content-Disposition"))
        .isEqualTo("attachment; filename=\"model-q8_0.gguf\"");
    assertThat(body(gguf)).isEqualTo("GGUF q8");
    ResponseEntity<StreamingResponseBody> q4 = as(tenant, user, () -> downloads.ggufQ4KM(job));
    assertThat(q4.getHeaders().getFirst("Content-Disposition"))
        .isEqualTo("attachment; filename=\"model-q4_k_m.gguf\"");
    assertThat(body(q4)).isEqualTo("GGUF q4_k_m");
    assertThat(body(as(tenant, user, () -> downloads.modelfile(job))))
        .isEqualTo("FROM ./model-q8_0.gguf\n");
    assertThat(as(tenant, user, () -> downloads.ggufF16(job)).getStatusCode().value())
        .as("a file the merge did not write")
        .isEqualTo(404);
    assertThat(as(other, otherUser, () -> downloads.ggufQ80(job)).getStatusCode().value())
        .isEqualTo(404);
    assertThat(as(other, otherUser, () -> downloads.ggufQ4KM(job)).getStatusCode().value())
        .isEqualTo(404);
    assertThat(as(other, otherUser, () -> merges.localRuntimeFiles(job))).isEmpty();
  }

  @Test
  void aMergeIsNotQueuedOnceTheTenantsBudgetIsSpent() {
    jdbc.sql("update tenant set monthly_budget = 0 where id = ?").param(tenant).update();

    assertThatThrownBy(() -> as(tenant, user, () -> merges.start(job)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not started: the tenant's monthly budget of 0.00 USD is spent");
    assertThat(as(tenant, user, () -> merges.find(job))).as("nothing queued").isEmpty();

    jdbc.sql("update tenant set monthly_budget = null where id = ?").param(tenant).update();
    assertThat(as(tenant, user, () -> merges.start(job)).getStatus())
        .isEqualTo(MergedExport.QUEUED);
    nothingElseOnlineOrWaiting();
  }

  private static String body(ResponseEntity<StreamingResponseBody> response) throws Exception {
    assertThat(response.getStatusCode().value()).isEqualTo(200);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    response.getBody().writeTo(bytes);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aMergeLeasedOverTheNodeApiIsMeteredLikeTraining() throws Exception {
    nothingElseOnlineOrWaiting();
    TestNodeApi api = new TestNodeApi(port);
    String bearer = "Bearer " + api.enrol(nodes.issueEnrolmentTokenForLocalNode(), "merge-node");
    MergedExport merge = as(tenant, user, () -> merges.start(job));

    HttpResponse<String> lease = api.post(NodeApi.LEASE, bearer, "{}");
    assertThat(lease.statusCode()).isEqualTo(200);
    assertThat(lease.body()).contains("\"jobId\":\"" + merge.getId() + "\"", "\"kind\":\"merge\"");
    clock.advance(Duration.ofSeconds(20));
    assertThat(
            api.post(
                    NodeApi.forJob(NodeApi.RESULT, merge.getId()),
                    bearer,
                    "{\"status\":\"failed\",\"reason\":\"disk full\",\"steps\":0,\"trainedTokens\":0}")
                .statusCode())
        .isEqualTo(200);

    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                as(tenant, user, () -> usage.segments(job)).stream()
                    .allMatch(r -> r.getEndedAt() != null));
    List<UsageRecord> segments = as(tenant, user, () -> usage.segments(job));
    assertThat(segments)
        .singleElement()
        .satisfies(
            segment -> {
              assertThat(segment.getKind()).isEqualTo(UsageKind.MERGE);
              assertThat(segment.getNodeName()).isEqualTo("merge-node");
              assertThat(segment.getUserId()).as("whoever started the merge").isEqualTo(user);
              assertThat(segment.getSeconds())
                  .as("the 20 s the clock moved, and the moments the requests took")
                  .isBetween(20L, 25L);
              assertThat(segment.getCost()).isPositive();
            });
    assertThat(as(other, otherUser, () -> usage.segments(job))).isEmpty();
    assertThat(as(tenant, user, () -> merges.find(job)).orElseThrow().getError())
        .isEqualTo("disk full");
  }

  @Test
  void aRunningMergeCancelledStopsAtItsNodesNextHeartbeatAndLeavesNoFiles() throws Exception {
    nothingElseOnlineOrWaiting();
    TestNodeApi api = new TestNodeApi(port);
    String bearer = "Bearer " + api.enrol(nodes.issueEnrolmentTokenForLocalNode(), "cancel-node");
    MergedExport merge = as(tenant, user, () -> merges.start(job));
    HttpResponse<String> lease = api.post(NodeApi.LEASE, bearer, "{}");
    assertThat(lease.body()).contains("\"jobId\":\"" + merge.getId() + "\"");
    String heartbeat = "{\"state\":\"busy\",\"currentJobId\":\"" + merge.getId() + "\"}";
    assertThat(api.post(NodeApi.HEARTBEAT, bearer, heartbeat).body())
        .contains("\"cancelCurrentJob\":false");
    // what the node uploaded before it heard of the cancel
    UUID holding = as(tenant, user, () -> merges.find(job)).orElseThrow().getLeaseId();
    String merged = ObjectKeys.jobMerged(tenant, job, holding);
    put(merged + "config.json", "{}");
    put(merged + "model-00001-of-00002.safetensors", "half the weights");

    MergedExport cancelling = as(tenant, user, () -> merges.cancel(job));
    assertThat(cancelling.getStatus()).isEqualTo(MergedExport.RUNNING);
    assertThat(cancelling.isCancelRequested()).isTrue();
    assertThat(as(tenant, user, () -> merges.cancel(job)).isCancelRequested())
        .as("a second click changes nothing")
        .isTrue();
    assertThat(api.post(NodeApi.HEARTBEAT, bearer, heartbeat).body())
        .contains("\"cancelCurrentJob\":true");
    assertThat(
            api.post(
                    NodeApi.forJob(NodeApi.MERGED_FILES, merge.getId()),
                    bearer,
                    "{\"files\":[\"config.json\"]}")
                .statusCode())
        .as("no upload URLs once cancelled")
        .isEqualTo(409);
    assertThat(
            api.post(
                    NodeApi.forJob(NodeApi.RESULT, merge.getId()),
                    bearer,
                    "{\"status\":\"failed\",\"reason\":\"cancelled\",\"steps\":0,\"trainedTokens\":0}")
                .statusCode())
        .isEqualTo(200);

    MergedExport ended = as(tenant, user, () -> merges.find(job)).orElseThrow();
    assertThat(ended.getStatus()).isEqualTo(MergedExport.CANCELLED);
    assertThat(ended.getError()).isNull();
    assertThat(storage.list(merged)).as("the uploaded files removed").isEmpty();
    assertThat(storage.list(ObjectKeys.jobMerged(tenant, job))).as("every holding's").isEmpty();
    assertThat(
            jdbc.sql(
                    "select count(*) from audit_record where tenant_id = ?"
                        + " and action = 'MERGE_CANCELLED'")
                .param(tenant)
                .query(Long.class)
                .single())
        .as("one audit record for the two clicks")
        .isEqualTo(1);
    assertThatThrownBy(() -> as(tenant, user, () -> merges.cancel(job)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> as(other, otherUser, () -> merges.cancel(job)))
        .isInstanceOf(java.util.NoSuchElementException.class);

    MergedExport again = as(tenant, user, () -> merges.start(job));
    assertThat(again.getStatus())
        .as("a cancelled merge starts again")
        .isEqualTo(MergedExport.QUEUED);
    assertThat(again.isCancelRequested()).isFalse();
    assertThat(as(tenant, user, () -> merges.cancel(job)).getStatus())
        .as("a queued merge ends at once")
        .isEqualTo(MergedExport.CANCELLED);
  }

  @Test
  void aMergeOfANodeThatStartsAgainGoesBackInTheQueueAtOnce() throws Exception {
    nothingElseOnlineOrWaiting();
    String credential =
        new TestNodeApi(port).enrol(nodes.issueEnrolmentTokenForLocalNode(), "boot");
    MergedExport merge = as(tenant, user, () -> merges.start(job));
    HttpResponse<String> lease = call(NodeApi.LEASE, credential, "boot-1", "{}");
    assertThat(lease.body()).contains("\"jobId\":\"" + merge.getId() + "\"");
    String running = "{\"state\":\"busy\",\"currentJobId\":\"" + merge.getId() + "\"}";
    assertThat(call(NodeApi.HEARTBEAT, credential, "boot-1", running).statusCode()).isEqualTo(200);
    assertThat(as(tenant, user, () -> merges.find(job)).orElseThrow().getStatus())
        .isEqualTo(MergedExport.RUNNING);

    // the node's agent was killed and started again: a new boot id, no merge of its own
    assertThat(call(NodeApi.HEARTBEAT, credential, "boot-2", "{\"state\":\"idle\"}").statusCode())
        .isEqualTo(200);
    MergedExport requeued = as(tenant, user, () -> merges.find(job)).orElseThrow();
    assertThat(requeued.getStatus())
        .as("back in the queue, not after the lease runs out")
        .isEqualTo(MergedExport.QUEUED);
    assertThat(requeued.getMessage()).startsWith("Its node started again");
    HttpResponse<String> again = call(NodeApi.LEASE, credential, "boot-2", "{}");
    assertThat(again.body()).contains("\"jobId\":\"" + merge.getId() + "\"");

    // cancelled while its node was away: it ends when the node comes back, not in the queue
    as(tenant, user, () -> merges.cancel(job));
    call(NodeApi.HEARTBEAT, credential, "boot-3", "{\"state\":\"idle\"}");
    assertThat(as(tenant, user, () -> merges.find(job)).orElseThrow().getStatus())
        .isEqualTo(MergedExport.CANCELLED);
  }

  private HttpResponse<String> call(String path, String credential, String boot, String json)
      throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + credential)
                .header(NodeApi.BOOT_HEADER, boot)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Other test classes' nodes offline, their queued jobs cancelled and their merges failed: this
   * test's merge goes to no other node and its node gets nothing else.
   */
  private void nothingElseOnlineOrWaiting() {
    jdbc.sql("update training_node set state = 'offline' where state <> 'offline'").update();
    jdbc.sql(
            "update fine_tune_job set status = 'cancelled', node_id = null, lease_expires_at = null"
                + " where status in ('queued', 'paused')")
        .update();
    jdbc.sql(
            "update merged_export set status = 'failed', node_id = null, lease_expires_at = null"
                + " where status in ('queued', 'running')")
        .update();
  }

  private void put(String key, String text) {
    TestObjectStorage.putText(storage, dir, key, text);
  }

  private static <T> T as(UUID tenant, UUID user, Supplier<T> work) {
    return TenantContext.callAs(
        tenant, () -> TestRows.signedIn(user, tenant, "member-" + user, work));
  }

  private static Map<String, String> unzip(ResponseEntity<StreamingResponseBody> response)
      throws Exception {
    assertThat(response.getStatusCode().value()).isEqualTo(200);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    response.getBody().writeTo(bytes);
    Map<String, String> files = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        files.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return files;
  }
}
