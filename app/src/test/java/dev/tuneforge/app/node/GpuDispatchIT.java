package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.app.finetune.JobMemory;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.modelformat.memory.MemoryEstimate;
import dev.tuneforge.protocol.NodeApi;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * Dispatch by memory and GPUs, through the node API as nodes speak it: a job too large for every
 * node waits with the reason and the batch size that would fit; a larger node takes it; a node with
 * two GPUs takes two jobs at once, and its heartbeats store which GPU runs which.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class GpuDispatchIT {
  /** Llama 3.2 1B's shape. */
  private static final String ONE_BILLION =
      """
      {"architectures": ["LlamaForCausalLM"], "hidden_size": 2048, "intermediate_size": 8192,
       "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8,
       "head_dim": 64, "vocab_size": 128256, "tie_word_embeddings": true}
      """;

  private static final long GIB = 1L << 30;

  @LocalServerPort int port;
  @Autowired NodeService nodes;
  @Autowired JobLeasing leasing;
  @Autowired Dispatcher dispatcher;
  @Autowired FineTuneService fineTunes;
  @Autowired JobMemory memory;
  @Autowired ObjectStorage storage;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;
  @TempDir Path files;

  @BeforeEach
  void noOtherNodesOrJobs() {
    // other classes' nodes and queued jobs share this database; this test dispatches alone
    jdbc.sql("update training_node set state = 'offline'").update();
    jdbc.sql(
            "update fine_tune_job set status = 'cancelled', node_id = null"
                + " where status in ('queued', 'running')")
        .update();
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void aJobWaitsWithTheReasonUntilANodeFitsItAndATwoGpuNodeTakesTwoJobs() throws Exception {
    TestRows db = new TestRows(jdbc);
    UUID tenant = db.tenant("gpu");
    UUID user = db.user(tenant, "gpu-" + UUID.randomUUID());
    UUID version = db.datasetVersion(tenant, user, 100, 10_000);
    UUID model = oneBillionModel();
    UUID full = db.job(tenant, user, model, version, "full 1B", "queued");
    jdbc.sql("update fine_tune_job set method = 'full', batch_size = 4 where id = ?")
        .params(full)
        .update();
    MemoryEstimate need = memory.of(find(tenant, full)).orElseThrow();
    assertThat(need.total()).isGreaterThan(16 * GIB).isLessThan(80 * GIB);

    String small = enrol("gpu-16", gpus(16));
    assertThat(dispatcher.dispatch()).isZero();
    FineTuneJob waiting = find(tenant, full);
    assertThat(waiting.getStatus()).isEqualTo(JobStatus.QUEUED);
    assertThat(waiting.getNodeId()).isNull();
    assertThat(waiting.getHoldReason())
        .startsWith("needs " + MemoryEstimate.gib(need.total()) + "; largest node has 16.0 GiB");
    assertThat(nodes.authenticate(small).orElseThrow().getGpus())
        .singleElement()
        .satisfies(gpu -> assertThat(gpu.name()).isEqualTo("Test GPU 0"));

    String large = enrol("gpu-80", gpus(80));
    assertThat(dispatcher.dispatch()).isEqualTo(1);
    TrainingNode largeNode = nodes.authenticate(large).orElseThrow();
    assertThat(find(tenant, full).getNodeId()).isEqualTo(largeNode.getId());
    assertThat(find(tenant, full).getHoldReason()).isNull();

    String two = enrol("two-gpus", gpus(24, 24));
    UUID first = db.job(tenant, user, model, version, "lora a", "queued");
    UUID second = db.job(tenant, user, model, version, "lora b", "queued");
    UUID third = db.job(tenant, user, model, version, "lora c", "queued");
    // the 16 GiB node must not take them: mark it gone, so the two-GPU node is the only one free
    jdbc.sql("update training_node set state = 'offline' where name = 'gpu-16'").update();
    assertThat(dispatcher.dispatch()).isEqualTo(2);
    TrainingNode twoGpus = nodes.authenticate(two).orElseThrow();
    assertThat(leasing.jobsHeld(twoGpus.getId())).isEqualTo(2);
    assertThat(find(tenant, third).getNodeId()).as("no third GPU").isNull();

    var started = leasing.start(twoGpus.getId(), clock.instant().plusSeconds(60)).orElseThrow();
    String beat =
        "{\"state\":\"busy\",\"currentJobId\":\""
            + started.getId()
            + "\",\"gpus\":["
            + gpu(0, 24, 3, started.getId())
            + ","
            + gpu(1, 24, 24, null)
            + "]}";
    assertThat(post(NodeApi.HEARTBEAT, "Bearer " + two, beat).statusCode()).isEqualTo(200);
    assertThat(nodes.authenticate(two).orElseThrow().getGpus())
        .extracting(dev.tuneforge.protocol.Gpu::jobId)
        .containsExactly(started.getId(), null);
    assertThat(first).isNotEqualTo(second);
  }

  private UUID oneBillionModel() throws Exception {
    String prefix = "models/one-billion-" + UUID.randomUUID() + "/";
    Path config = Files.writeString(files.resolve("config.json"), ONE_BILLION);
    storage.put(prefix + "config.json", config, "application/json");
    UUID model = UUID.randomUUID();
    jdbc.sql(
            "insert into base_model (id, name, architecture, description, object_prefix, parameters,"
                + " created_at) values (?, ?, 'LlamaForCausalLM', '', ?, 1235814400, now())")
        .params(model, "one-billion-" + model, prefix)
        .update();
    return model;
  }

  private FineTuneJob find(UUID tenant, UUID job) {
    return TenantContext.callAs(tenant, () -> fineTunes.find(job).orElseThrow());
  }

  private static String gpus(int... gib) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < gib.length; i++) {
      json.append(i == 0 ? "" : ",").append(gpu(i, gib[i], gib[i], null));
    }
    return json.append("]").toString();
  }

  private static String gpu(int index, long gib, long freeGib, UUID job) {
    return "{\"index\":"
        + index
        + ",\"name\":\"Test GPU "
        + index
        + "\",\"memoryBytes\":"
        + gib * GIB
        + ",\"freeMemoryBytes\":"
        + freeGib * GIB
        + ",\"cudaVersion\":\"12.4\",\"driverVersion\":\"550.54.15\",\"jobId\":"
        + (job == null ? "null" : "\"" + job + "\"")
        + "}";
  }

  private String enrol(String name, String gpus) throws Exception {
    return new TestNodeApi(port)
        .enrol(
            nodes.issueEnrolmentTokenForLocalNode(),
            name,
            "{\"device\":\"cuda\",\"deviceName\":\"Test GPU\",\"memoryBytes\":"
                + 64 * GIB
                + ",\"cpuCores\":8,\"gpus\":"
                + gpus
                + "}");
  }

  private HttpResponse<String> post(String path, String authorization, String json)
      throws Exception {
    return new TestNodeApi(port).post(path, authorization, json);
  }
}
