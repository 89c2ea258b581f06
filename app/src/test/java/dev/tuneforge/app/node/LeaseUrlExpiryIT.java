package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.NodeApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The attack of a node that lost its lease: its job was leased to another node, and it tries to
 * read the job's dataset and overwrite its adapter with the URLs of its old lease. Past the URLs'
 * lifetime storage refuses them; inside it (the slack), what the node writes lands in its own
 * holding's folder, never over what the holding whose result was taken delivered. A short lease and
 * slack stand in for the default minutes; object storage enforces the URLs' lifetimes.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"tuneforge.nodes.lease-duration=2s", "tuneforge.nodes.url-slack=1s"})
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class LeaseUrlExpiryIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ADAPTER = JobFolder.ADAPTER + "adapter_model.safetensors";

  @LocalServerPort int port;
  @Autowired NodeService nodes;
  @Autowired JobLeasing leasing;
  @Autowired LeaseFactory leases;
  @Autowired NodeProperties properties;
  @Autowired ObjectStorage storage;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;
  @Autowired Scheduler scheduler;
  @TempDir Path dir;
  private LeaseFixture fixture;

  @BeforeEach
  void dispatchAlone() throws Exception {
    fixture = new LeaseFixture(port, nodes, leasing, properties, storage, jdbc, clock, scheduler);
    fixture.begin();
  }

  @AfterEach
  void dispatchAgain() throws Exception {
    fixture.end();
  }

  @Test
  void aNodeWhoseLeaseLapsedCanNeitherReadTheDatasetNorWriteTheAdapterWithItsOldUrls()
      throws Exception {
    assertThat(properties.urlValidity()).isEqualTo(Duration.ofSeconds(3));
    TestNodeApi api = fixture.api();
    LeaseFixture.Node lapsed = fixture.enrol("lapsed");
    LeaseFixture.Node next = fixture.enrol("next");
    LeaseFixture.Job queued = fixture.queuedJob("url-expiry");
    UUID job = queued.id();
    fixture.datasetObject(job, "secret\n", dir);
    Lease old = leases.build(fixture.take(job, lapsed.id()), fixture.leaseUntil());
    String oldData = old.inputs().get(JobFolder.TRAINING_DATA);
    String oldAdapter = old.outputs().get(ADAPTER);
    assertThat(LeaseUrlsIT.get(oldData)).as("while it holds the lease").isEqualTo("secret\n");
    assertThat(put(oldAdapter, "first")).isEqualTo(200);
    Instant oldUrlsEnd = LeaseUrlsIT.expiry(oldData);

    assertThat(leasing.requeueExpired(fixture.leaseUntil().plusSeconds(1)))
        .as("the first node's lease lapsed")
        .isPositive();
    UUID holding = fixture.take(job, next.id()).getLeaseId();
    String adapterKey =
        ObjectKeys.jobAdapter(queued.tenant(), job, holding) + "adapter_model.safetensors";
    assertThat(api.post(NodeApi.forJob(NodeApi.INPUTS, job), lapsed.bearer(), "").statusCode())
        .as("fresh input URLs for the node that lost the lease")
        .isEqualTo(409);
    assertThat(api.post(NodeApi.forJob(NodeApi.OUTPUTS, job), lapsed.bearer(), "").statusCode())
        .as("fresh output URLs for the node that lost the lease")
        .isEqualTo(409);

    // the second node works on, heartbeating, until the first node's URLs ran out
    String beat = "{\"state\":\"busy\",\"currentJobId\":\"" + job + "\"}";
    while (Instant.now().isBefore(oldUrlsEnd.plusSeconds(2))) {
      assertThat(api.post(NodeApi.HEARTBEAT, next.bearer(), beat).statusCode()).isEqualTo(200);
      Thread.sleep(300);
    }
    assertThat(leasing.runningOn(next.id(), job)).as("the second node holds the job").isPresent();

    assertThat(LeaseUrlsIT.get(oldData))
        .as("the dataset through the lapsed lease's URL")
        .startsWith("HTTP 403");
    assertThat(put(oldAdapter, "overwritten by the lapsed node"))
        .as("the adapter through the lapsed lease's URL")
        .isEqualTo(403);

    JsonNode outputs =
        JSON.readTree(api.post(NodeApi.forJob(NodeApi.OUTPUTS, job), next.bearer(), "").body())
            .path("urls");
    assertThat(put(outputs.path(ADAPTER).asString(), "second")).isEqualTo(200);
    JsonNode inputs =
        JSON.readTree(api.post(NodeApi.forJob(NodeApi.INPUTS, job), next.bearer(), "").body())
            .path("urls");
    assertThat(LeaseUrlsIT.get(inputs.path(JobFolder.TRAINING_DATA).asString()))
        .as("the holder reads the dataset with fresh URLs")
        .isEqualTo("secret\n");
    assertThat(put(oldAdapter, "overwritten by the lapsed node")).isEqualTo(403);
    try (var in = storage.open(adapterKey)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second");
    }
  }

  @Test
  void whatANodeThatLostItsLeaseWritesWithinTheSlackLandsBesideTheDeliveredAdapterNotOverIt()
      throws Exception {
    TestNodeApi api = fixture.api();
    LeaseFixture.Node lapsed = fixture.enrol("slack-lapsed");
    LeaseFixture.Node next = fixture.enrol("slack-next");
    LeaseFixture.Job queued = fixture.queuedJob("slack");
    UUID job = queued.id();

    FineTuneJob lost = fixture.take(job, lapsed.id());
    assertThat(leasing.requeueExpired(fixture.leaseUntil().plusSeconds(1))).isPositive();
    FineTuneJob holding = fixture.take(job, next.id());
    assertThat(holding.getLeaseId()).as("a new holding").isNotEqualTo(lost.getLeaseId());
    JsonNode outputs =
        JSON.readTree(api.post(NodeApi.forJob(NodeApi.OUTPUTS, job), next.bearer(), "").body())
            .path("urls");
    assertThat(put(outputs.path(ADAPTER).asString(), "delivered")).isEqualTo(200);
    assertThat(
            api.post(
                    NodeApi.forJob(NodeApi.RESULT, job),
                    next.bearer(),
                    "{\"status\":\"succeeded\",\"steps\":4,\"trainedTokens\":4000}")
                .statusCode())
        .isEqualTo(200);

    // the lapsed node's upload URL, signed while it held the job, is still inside its lifetime
    String stillValid = leases.outputUploads(lost).get(ADAPTER);
    assertThat(put(stillValid, "overwritten by the lapsed node")).isEqualTo(200);

    String delivered =
        jdbc.sql("select adapter_prefix from fine_tune_job where id = ?")
            .param(job)
            .query(String.class)
            .single();
    assertThat(delivered)
        .isEqualTo(ObjectKeys.jobAdapter(queued.tenant(), job, holding.getLeaseId()));
    try (var in = storage.open(delivered + "adapter_model.safetensors")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .as("the adapter the job delivered")
          .isEqualTo("delivered");
    }
  }

  private static int put(String url, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return TestObjectStorage.put(url, bytes, 0, bytes.length);
  }
}
