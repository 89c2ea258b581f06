package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.protocol.NodeApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * Attacks on the node API over real HTTP: one enrolment token raced by many requests, bodies that
 * are not what the API takes, a revoked node's credential, and a drained node asking for work.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
class NodeApiAttackIT {
  private static final String RESOURCES =
      "{\"device\":\"cpu\",\"deviceName\":\"test\",\"memoryBytes\":1024,\"cpuCores\":2}";

  @LocalServerPort int port;
  @Autowired NodeService nodes;
  @Autowired JobLeasing leasing;
  @Autowired Dispatcher dispatcher;
  @Autowired NodeProperties properties;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void aTokenRacedByTwelveRequestsEnrolsOneNode() throws Exception {
    String token = nodes.issueEnrolmentTokenForLocalNode();
    String name = "racer-" + UUID.randomUUID();
    String body =
        "{\"token\":\"" + token + "\",\"name\":\"" + name + "\",\"resources\":" + RESOURCES + "}";
    int racers = 12;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
      for (int i = 0; i < racers; i++) {
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return api().post(NodeApi.ENROL, null, body).statusCode();
                }));
      }
      start.countDown();
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        codes.add(answer.get());
      }
      assertThat(codes).containsOnlyOnce(200).containsOnly(200, 403);
    }
    assertThat(
            jdbc.sql("select count(*) from training_node where name = ?")
                .param(name)
                .query(Long.class)
                .single())
        .as("one node enrolled with the token")
        .isEqualTo(1);
  }

  @Test
  void malformedEnrolmentsAnswer400WithAMessageAndNeverTheSignInPage() throws Exception {
    HttpResponse<String> empty = api().post(NodeApi.ENROL, null, "{}");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("\"error\"", "An enrolment needs \\\"token\\\"");

    for (String malformed : List.of("not json", "[1,2]", "{\"token\": 3, \"resources\": []}")) {
      HttpResponse<String> answer = api().post(NodeApi.ENROL, null, malformed);
      assertThat(answer.statusCode()).as(malformed).isEqualTo(400);
      assertThat(answer.body()).as(malformed).contains("\"error\"").doesNotContain("at dev.");
      assertThat(answer.headers().firstValue("Location")).as(malformed).isEmpty();
    }

    HttpResponse<String> unknown =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + NodeApi.BASE + "/no-such-call"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isIn(401, 404);
    assertThat(unknown.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void aRevokedNodeIsRefusedAtOnce() throws Exception {
    String credential = api().enrol(nodes.issueEnrolmentTokenForLocalNode(), "revoked");
    UUID node = nodes.authenticate(credential).orElseThrow().getId();
    assertThat(heartbeat(credential)).isEqualTo(200);

    asAdmin(() -> nodes.revoke(node));

    assertThat(heartbeat(credential)).isEqualTo(401);
    assertThat(api().post(NodeApi.LEASE, "Bearer " + credential, "{}").statusCode()).isEqualTo(401);
    assertThat(nodes.online()).extracting(TrainingNode::getId).doesNotContain(node);
  }

  @Test
  void aCredentialExpires() throws Exception {
    String credential = api().enrol(nodes.issueEnrolmentTokenForLocalNode(), "expiring");
    clock.advance(properties.credentialLifetime().minusMinutes(1));
    assertThat(heartbeat(credential)).isEqualTo(200);
    clock.advance(java.time.Duration.ofMinutes(2));
    assertThat(heartbeat(credential)).isEqualTo(401);
  }

  @Test
  void aDrainedNodeKeepsItsJobButIsGivenNoNewOne() throws Exception {
    String credential = api().enrol(nodes.issueEnrolmentTokenForLocalNode(), "draining");
    UUID node = nodes.authenticate(credential).orElseThrow().getId();
    TestRows db = new TestRows(jdbc);
    UUID tenant = db.tenant("drain");
    UUID user = db.user(tenant, "drain-" + UUID.randomUUID());
    UUID version = db.datasetVersion(tenant, user, 1, 1);
    UUID model = db.model("drain-" + UUID.randomUUID());
    UUID held = db.job(tenant, user, model, version, "held job", "queued");
    assertThat(leasing.assign(held, node, "draining", clock.instant().plusSeconds(60))).isTrue();
    assertThat(leasing.start(node, clock.instant().plusSeconds(60))).isPresent();

    asAdmin(() -> nodes.drain(node, true));
    db.job(tenant, user, model, version, "new job", "queued");
    dispatcher.dispatch();

    String busy = "{\"state\":\"busy\",\"currentJobId\":\"" + held + "\"}";
    assertThat(api().post(NodeApi.HEARTBEAT, "Bearer " + credential, busy).statusCode())
        .as("the held job's lease is still renewed")
        .isEqualTo(200);
    assertThat(nodes.online()).extracting(TrainingNode::getId).doesNotContain(node);
    assertThat(
            jdbc.sql("select count(*) from fine_tune_job where node_id = ?")
                .param(node)
                .query(Long.class)
                .single())
        .as("only the job it held")
        .isEqualTo(1);
  }

  private int heartbeat(String credential) throws Exception {
    return api()
        .post(NodeApi.HEARTBEAT, "Bearer " + credential, "{\"state\":\"idle\"}")
        .statusCode();
  }

  private TestNodeApi api() {
    return new TestNodeApi(port);
  }

  private static void asAdmin(Runnable action) {
    SignedInUser admin =
        new SignedInUser(UUID.randomUUID(), null, "admin", "admin", Role.PLATFORM_ADMIN, "x", true);
    TestRows.as(
        admin,
        () -> {
          action.run();
          return null;
        });
  }
}
