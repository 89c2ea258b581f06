package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.database.NestedConnections;
import dev.tuneforge.protocol.NodeApi;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * A node's requests and the listeners they set off never hold a database connection while they wait
 * for a second one. Requests and listeners run on as many threads as there are of them, so a fleet
 * reporting results at once held all ten of the pool's connections, each thread waiting for its
 * second, until the pool's 30 s timeout: nodes missed heartbeats and launches failed. Here two jobs
 * run their whole course over the node API (the second one's lease estimates it from the first),
 * and {@link NestedConnections} (on in tests) names every place a thread took a second connection;
 * only the threads that hold one of their own on purpose, one each, may.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class OneConnectionAtATimeIT {
  /** Dispatch under its lock, Quartz's four workers, background slots, serving's listener. */
  private static final Set<String> HOLDING_ONE_OF_THEIR_OWN =
      Set.of("dispatch", "quartzScheduler_Worker-", "background-work-", "generation-listener");

  @LocalServerPort int port;
  @Autowired NodeService nodes;
  @Autowired JdbcClient jdbc;
  @Autowired Scheduler scheduler;
  @Autowired TestClock clock;
  @Autowired NestedConnections nested;

  private DispatchAlone alone;

  @BeforeEach
  void noOtherNodesOrJobs() throws Exception {
    alone = new DispatchAlone(scheduler, jdbc);
    alone.begin();
  }

  @AfterEach
  void dispatchAtTheTickAgain() throws Exception {
    alone.end();
    clock.reset();
  }

  @Test
  void aJobsLeaseStepsResultAndMeteringTakeOneConnectionAtATime() throws Exception {
    TestRows rows = new TestRows(jdbc);
    UUID tenant = rows.tenant("one-connection-" + UUID.randomUUID());
    UUID user = rows.user(tenant, "one-connection-" + UUID.randomUUID());
    UUID model = rows.model("one-connection-" + UUID.randomUUID());
    String bearer = "Bearer " + DispatchAlone.enrolCpuNode(port, nodes, "one-connection-node");
    TestNodeApi api = new TestNodeApi(port);

    for (int run = 1; run <= 2; run++) {
      UUID version = rows.datasetVersion(tenant, user, 10, 1000);
      UUID job = rows.job(tenant, user, model, version, "one-connection-" + run, "queued");
      HttpResponse<String> lease = api.post(NodeApi.LEASE, bearer, "{}");
      assertThat(lease.statusCode()).as(lease.body()).isEqualTo(200);
      assertThat(lease.body()).contains(job.toString());

      Instant start = clock.instant();
      StringBuilder steps = new StringBuilder();
      for (int step = 1; step <= 4; step++) {
        steps
            .append(step == 1 ? "" : ",")
            .append(
                "{\"type\":\"metric\",\"at\":\"%s\",\"step\":%d,\"totalSteps\":4,\"loss\":1.0,\"tokensPerSecond\":100.0,\"tokens\":%d}"
                    .formatted(start.plusSeconds(10L * step), step, 1000L * step));
      }
      HttpResponse<String> events =
          api.post(NodeApi.forJob(NodeApi.EVENTS, job), bearer, "{\"events\":[" + steps + "]}");
      assertThat(events.statusCode()).as(events.body()).isEqualTo(202);
      clock.advance(Duration.ofSeconds(45));
      HttpResponse<String> result =
          api.post(
              NodeApi.forJob(NodeApi.RESULT, job),
              bearer,
              "{\"status\":\"succeeded\",\"steps\":4,\"trainedTokens\":4000}");
      assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
      Awaitility.await("the job's metered time closed after its result")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  jdbc.sql(
                          "select count(*) from usage_record where job_id = ? and ended_at is null")
                      .param(job)
                      .query(Long.class)
                      .single(),
              open -> open == 0);
    }
    assertThat(
            jdbc.sql(
                    "select count(*) from job_estimate where job_id in (select id from fine_tune_job"
                        + " where tenant_id = ?)")
                .param(tenant)
                .query(Long.class)
                .single())
        .as("both jobs were estimated at their lease, the second from the first")
        .isGreaterThanOrEqualTo(2);

    List<NestedConnections.Nesting> twice =
        nested.seen().stream()
            .filter(n -> HOLDING_ONE_OF_THEIR_OWN.stream().noneMatch(n.thread()::startsWith))
            .filter(n -> !n.thread().equals("main"))
            .toList();
    assertThat(twice).as("places where a thread took a second connection").isEmpty();
  }
}
