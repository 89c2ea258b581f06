package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.NodeApi;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Upload URLs given to nodes live about as long as a lease, and fresh ones go only to the node that
 * holds the lease now: a node whose lease lapsed and whose job another node took gets none, and the
 * URLs it still has run out minutes later, as object storage enforces.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class LeaseUploadsIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired NodeService nodes;
  @Autowired JobLeasing leasing;
  @Autowired LeaseFactory leases;
  @Autowired NodeProperties properties;
  @Autowired ObjectStorage storage;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;
  @Autowired Scheduler scheduler;
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
  void aNodeThatLostItsLeaseGetsNoUploadUrlsAndItsOldOnesRunOut() throws Exception {
    TestNodeApi api = fixture.api();
    LeaseFixture.Node first = fixture.enrol("first");
    LeaseFixture.Node second = fixture.enrol("second");
    LeaseFixture.Job queued = fixture.queuedJob("lease-uploads");
    UUID job = queued.id();

    Lease lease = leases.build(fixture.take(job, first.id()), fixture.leaseUntil());
    String adapterUrl = lease.outputs().get(JobFolder.ADAPTER + "adapter_model.safetensors");
    long validFor = properties.urlValidity().toSeconds();
    assertThat(adapterUrl).contains("X-Amz-Expires=" + validFor + "&");
    HttpResponse<String> fresh = api.post(NodeApi.forJob(NodeApi.OUTPUTS, job), first.bearer(), "");
    assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
    assertThat(JSON.readTree(fresh.body()).path("urls").propertyNames())
        .containsExactlyInAnyOrderElementsOf(lease.outputs().keySet());

    assertThat(leasing.requeueExpired(fixture.leaseUntil().plusSeconds(1)))
        .as("the first node's lease lapsed")
        .isPositive();
    UUID holding = fixture.take(job, second.id()).getLeaseId();

    assertThat(api.post(NodeApi.forJob(NodeApi.OUTPUTS, job), first.bearer(), "").statusCode())
        .as("fresh output URLs for the node that lost the lease")
        .isEqualTo(409);
    assertThat(
            api.post(
                    NodeApi.forCheckpoint(NodeApi.CHECKPOINT, job, 5),
                    first.bearer(),
                    "{\"files\":[\"trainer_state.json\"]}")
                .statusCode())
        .as("checkpoint URLs for the node that lost the lease")
        .isEqualTo(409);
    HttpResponse<String> holder =
        api.post(NodeApi.forJob(NodeApi.OUTPUTS, job), second.bearer(), "");
    assertThat(holder.statusCode()).isEqualTo(200);
    JsonNode urls = JSON.readTree(holder.body()).path("urls");
    String adapterKey =
        ObjectKeys.jobAdapter(queued.tenant(), job, holding) + "adapter_model.safetensors";
    assertThat(put(urls.path(JobFolder.ADAPTER + "adapter_model.safetensors").asString(), "B"))
        .isEqualTo(200);
    assertThat(storage.exists(adapterKey)).isTrue();

    String shortLived = storage.presignPut(adapterKey, Duration.ofSeconds(1));
    Thread.sleep(2_500);
    assertThat(put(shortLived, "stale"))
        .as("object storage refuses an upload URL past its lifetime, as the first node's will be")
        .isEqualTo(403);
    try (var in = storage.open(adapterKey)) {
      assertThat(new String(in.readAllBytes())).isEqualTo("B");
    }
  }

  private static int put(String url, String body) throws Exception {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return TestObjectStorage.put(url, bytes, 0, bytes.length);
  }
}
