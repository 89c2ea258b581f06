package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.protocol.NodeApi;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * The node API over real HTTP: enrolment once per token within its day, credentials required
 * everywhere else, and liveness: heartbeats keep a node and its lease, silence loses both.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
class NodeApiIT {
  @LocalServerPort int port;
  @Autowired NodeService nodes;
  @Autowired JobLeasing leasing;
  @Autowired dev.tuneforge.app.export.ExportLeasing merges;
  @Autowired Dispatcher dispatcher;
  @Autowired NodeProperties properties;
  @Autowired FineTuneService fineTunes;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void aWrongCredentialIsDenied() throws Exception {
    assertThat(
            post(NodeApi.HEARTBEAT, "Bearer tfn_not-a-real-credential", "{\"state\":\"idle\"}")
                .statusCode())
        .isEqualTo(401);
    assertThat(post(NodeApi.LEASE, null, "{}").statusCode()).isEqualTo(401);
  }

  @Test
  void aTokenEnrolsOneNodeOnceAndItsCredentialThenWorks() throws Exception {
    String token = nodes.issueEnrolmentTokenForLocalNode();
    String body =
        "{\"token\":\""
            + token
            + "\",\"name\":\"gpu-1\",\"resources\":{\"device\":\"cpu\",\"deviceName\":\"test\",\"memoryBytes\":1024,\"cpuCores\":2}}";
    HttpResponse<String> first = post(NodeApi.ENROL, null, body);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains("\"credential\":\"tfn_");
    String credential = first.body().replaceAll(".*\"credential\":\"([^\"]+)\".*", "$1");

    HttpResponse<String> again = post(NodeApi.ENROL, null, body);
    assertThat(again.statusCode()).isEqualTo(403);
    assertThat(again.body()).contains("unknown, used or expired");

    HttpResponse<String> heartbeat =
        post(NodeApi.HEARTBEAT, "Bearer " + credential, "{\"state\":\"idle\"}");
    assertThat(heartbeat.statusCode()).isEqualTo(200);
    assertThat(heartbeat.body()).contains("\"cancelCurrentJob\":false");
  }

  @Test
  void aNodeOfAnotherProtocolVersionIsRefusedWithTheReasonAndItsTokenStaysUsable()
      throws Exception {
    String token = nodes.issueEnrolmentTokenForLocalNode();
    String body =
        "{\"token\":\""
            + token
            + "\",\"name\":\"gpu-3\",\"resources\":{\"device\":\"cpu\","
            + "\"deviceName\":\"test\",\"memoryBytes\":1024,\"cpuCores\":2},\"protocolVersion\":";
    HttpResponse<String> refused =
        post(NodeApi.ENROL, null, body + (NodeApi.PROTOCOL_VERSION + 1) + "}");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body())
        .contains(
            "protocol version " + NodeApi.PROTOCOL_VERSION,
            "this node speaks version " + (NodeApi.PROTOCOL_VERSION + 1));

    assertThat(post(NodeApi.ENROL, null, body + NodeApi.PROTOCOL_VERSION + "}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void eventsOfAnUnknownTypeAreRefused() throws Exception {
    String bearer = "Bearer " + enrol("gpu-4");
    String events = NodeApi.forJob(NodeApi.EVENTS, java.util.UUID.randomUUID());
    String event =
        "{\"events\":[{\"type\":\"%s\",\"at\":\"2026-11-22T10:14:02.120Z\",\"message\":\"hi\"}]}";
    HttpResponse<String> unknown = post(events, bearer, event.formatted("progress"));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("unknown job event type", "progress");
    assertThat(post(events, bearer, event.formatted("log")).statusCode())
        .as("a job this node does not hold")
        .isEqualTo(409);
  }

  @Test
  void anEnrolmentTokenExpiresAfterADay() throws Exception {
    String token = nodes.issueEnrolmentTokenForLocalNode();
    clock.advance(NodeService.TOKEN_VALIDITY.plusSeconds(1));
    HttpResponse<String> late =
        post(
            NodeApi.ENROL,
            null,
            "{\"token\":\""
                + token
                + "\",\"name\":\"late\","
                + "\"resources\":{\"device\":\"cpu\",\"deviceName\":\"test\",\"memoryBytes\":1024,\"cpuCores\":2}}");
    assertThat(late.statusCode()).isEqualTo(403);
    assertThat(late.body()).contains("unknown, used or expired");
  }

  @Test
  void heartbeatsKeepANodeAndItsLeaseAndSilenceLosesBoth() throws Exception {
    String credential = enrol("gpu-3");
    UUID node = nodes.authenticate(credential).orElseThrow().getId();
    TestRows db = new TestRows(jdbc);
    UUID tenant = db.tenant("silent");
    UUID user = db.user(tenant, "silent-" + UUID.randomUUID());
    UUID version = db.datasetVersion(tenant, user, 1, 1);
    UUID job =
        db.job(
            tenant, user, db.model("silent-" + UUID.randomUUID()), version, "silent job", "queued");
    assertThat(leasing.assign(job, node, "gpu-3", clock.instant().plus(properties.leaseDuration())))
        .isTrue();
    assertThat(leasing.start(node, clock.instant().plus(properties.leaseDuration()))).isPresent();
    NodeLivenessJob liveness = new NodeLivenessJob(nodes, leasing, merges, dispatcher, clock);

    clock.advance(properties.leaseDuration().minusSeconds(10));
    String busy = "{\"state\":\"busy\",\"currentJobId\":\"" + job + "\"}";
    assertThat(post(NodeApi.HEARTBEAT, "Bearer " + credential, busy).statusCode()).isEqualTo(200);
    clock.advance(properties.heartbeatTimeout().minusSeconds(10));
    liveness.execute(null);
    assertThat(nodes.online())
        .extracting(TrainingNode::getId)
        .as("heard from lately")
        .contains(node);
    assertThat(find(tenant, job).getNodeId())
        .as("past the first lease, within the renewed one")
        .isEqualTo(node);

    clock.advance(properties.leaseDuration());
    liveness.execute(null);
    assertThat(nodes.online()).extracting(TrainingNode::getId).doesNotContain(node);
    FineTuneJob back = find(tenant, job);
    assertThat(back.getStatus()).isEqualTo(JobStatus.QUEUED);
    assertThat(back.getNodeId()).isNull();
  }

  private FineTuneJob find(UUID tenant, UUID job) {
    return TenantContext.callAs(tenant, () -> fineTunes.find(job).orElseThrow());
  }

  @Test
  void checkpointUploadsAreSignedOnlyForTheKnownFilesOfAJobTheNodeRuns() throws Exception {
    String bearer = "Bearer " + enrol("gpu-2");
    String job = java.util.UUID.randomUUID().toString();
    String checkpoint = NodeApi.forCheckpoint(NodeApi.CHECKPOINT, job, 10);

    HttpResponse<String> escaping =
        post(checkpoint, bearer, "{\"files\":[\"../adapter/adapter_model.safetensors\"]}");
    assertThat(escaping.statusCode()).isEqualTo(400);
    assertThat(post(checkpoint, bearer, "{\"files\":[\"notes.txt\"]}").statusCode()).isEqualTo(400);
    assertThat(
            post(
                    NodeApi.forCheckpoint(NodeApi.CHECKPOINT, job, 0),
                    bearer,
                    "{\"files\":[\"trainer_state.json\"]}")
                .statusCode())
        .isEqualTo(400);
    assertThat(post(checkpoint, bearer, "{\"files\":[\"trainer_state.json\"]}").statusCode())
        .as("a job this node does not run")
        .isEqualTo(409);
    assertThat(
            post(NodeApi.forCheckpoint(NodeApi.CHECKPOINT_COMPLETE, job, 10), bearer, "{}")
                .statusCode())
        .isEqualTo(409);
    assertThat(post(checkpoint, null, "{\"files\":[\"trainer_state.json\"]}").statusCode())
        .isEqualTo(401);
  }

  private String enrol(String name) throws Exception {
    return new TestNodeApi(port).enrol(nodes.issueEnrolmentTokenForLocalNode(), name);
  }

  private HttpResponse<String> post(String path, String authorization, String json)
      throws Exception {
    return new TestNodeApi(port).post(path, authorization, json);
  }
}
