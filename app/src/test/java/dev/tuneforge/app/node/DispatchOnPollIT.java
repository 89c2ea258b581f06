package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.protocol.NodeApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * A node that asks for work gets a queued job from dispatch run on its poll, with Quartz's tick
 * paused and no Quartz trigger made for it; and while another replica dispatches (holds the
 * dispatch lock) this one waits for it rather than dispatching alongside; a node that starts again
 * under its identity has the job it ran put back in the queue at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class DispatchOnPollIT {
  @LocalServerPort int port;
  @Autowired Dispatcher dispatcher;
  @Autowired NodeService nodes;
  @Autowired JdbcClient jdbc;
  @Autowired Scheduler scheduler;
  @Autowired DataSource dataSource;

  private DispatchAlone alone;
  private TestRows rows;

  @BeforeEach
  void noOtherNodesOrJobs() throws Exception {
    alone = new DispatchAlone(scheduler, jdbc);
    alone.begin();
    rows = new TestRows(jdbc);
  }

  @AfterEach
  void dispatchAtTheTickAgain() throws Exception {
    alone.end();
  }

  @Test
  void aPollingNodeGetsTheQueuedJobWithoutAnyQuartzTrigger() throws Exception {
    UUID job = queued("poll");
    int triggers = triggers();
    String credential = enrol("poll-node");

    HttpResponse<String> lease =
        new TestNodeApi(port).post(NodeApi.LEASE, "Bearer " + credential, "{}");

    assertThat(lease.statusCode()).as(lease.body()).isEqualTo(200);
    assertThat(lease.body()).contains(job.toString());
    assertThat(status(job)).isEqualTo("running");
    assertThat(triggers()).as("Quartz triggers, before and after the poll").isEqualTo(triggers);
  }

  @Test
  void whileAnotherReplicaDispatchesThisOneWaitsForItsLock() throws Exception {
    UUID job = queued("lock");
    enrol("lock-node");
    CompletableFuture<Integer> waiting;
    try (Connection otherReplica = dataSource.getConnection()) {
      otherReplica.setAutoCommit(false);
      try (PreparedStatement lock =
          otherReplica.prepareStatement("select pg_advisory_xact_lock(?)")) {
        lock.setLong(1, DispatchLock.KEY);
        lock.execute();
      }
      waiting = CompletableFuture.supplyAsync(dispatcher::dispatchExclusively);
      awaitWaiterOnTheLock();
      assertThat(waiting).isNotDone();
      assertThat(holder(job)).as("nothing dispatched under the other's lock").isNull();
      otherReplica.rollback();
    }
    assertThat(waiting.get(2, TimeUnit.MINUTES)).isEqualTo(1);
    assertThat(holder(job)).isNotNull();
  }

  @Test
  void aNodeThatStartsAgainHasTheJobItRanBackInTheQueueAtOnce() throws Exception {
    UUID job = queued("restart");
    String credential = enrol("restart-node");
    HttpResponse<String> lease = call(NodeApi.LEASE, credential, "boot-1", "{}");
    assertThat(lease.statusCode()).as("%s; %s", lease.body(), dispatchState(job)).isEqualTo(200);
    String running = "{\"state\":\"busy\",\"currentJobId\":\"" + job + "\"}";
    assertThat(call(NodeApi.HEARTBEAT, credential, "boot-1", running).statusCode()).isEqualTo(200);
    assertThat(status(job)).as("the same process heartbeats on").isEqualTo("running");

    // the node's agent was killed and started again: a new boot id, no job of its own
    HttpResponse<String> idle =
        call(NodeApi.HEARTBEAT, credential, "boot-2", "{\"state\":\"idle\"}");
    assertThat(idle.statusCode()).isEqualTo(200);
    assertThat(status(job))
        .as("back in the queue, not after the lease runs out")
        .isEqualTo("queued");
    assertThat(
            jdbc.sql("select message from job_event where job_id = ? order by id")
                .param(job)
                .query(String.class)
                .list())
        .contains("Its node started again; back in the queue");

    HttpResponse<String> again = call(NodeApi.LEASE, credential, "boot-2", "{}");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(again.body()).contains(job.toString());
  }

  private HttpResponse<String> call(String path, String credential, String boot, String json)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + credential)
                .header(NodeApi.BOOT_HEADER, boot)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private void awaitWaiterOnTheLock() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (jdbc.sql(
                "select count(*) from pg_locks where locktype = 'advisory' and not granted"
                    + " and classid::bigint = ? and objid::bigint = ?")
            .params(DispatchLock.KEY >>> 32, DispatchLock.KEY & 0xffffffffL)
            .query(Long.class)
            .single()
        == 0) {
      assertThat(System.nanoTime()).as("a dispatch waits for the lock").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private UUID queued(String name) {
    UUID tenant = rows.tenant(name + "-" + UUID.randomUUID());
    UUID user = rows.user(tenant, name + "-" + UUID.randomUUID());
    UUID version = rows.datasetVersion(tenant, user, 10, 1000);
    UUID model = rows.model(name + "-" + UUID.randomUUID());
    return rows.job(tenant, user, model, version, name, "queued");
  }

  private String enrol(String name) throws Exception {
    return DispatchAlone.enrolCpuNode(port, nodes, name);
  }

  private int triggers() {
    return jdbc.sql("select count(*) from qrtz_triggers").query(Integer.class).single();
  }

  /** What dispatch saw, for a failure's message: the job's row and the nodes not offline. */
  private String dispatchState(UUID job) {
    return "the job: "
        + jdbc.sql("select status, node_id, hold_reason from fine_tune_job where id = ?")
            .param(job)
            .query((rs, row) -> rs.getString(1) + " on " + rs.getString(2) + ", " + rs.getString(3))
            .single()
        + "; nodes not offline: "
        + jdbc.sql("select name || ' ' || state from training_node where state <> 'offline'")
            .query(String.class)
            .list();
  }

  private String status(UUID job) {
    return alone.column("status", job, String.class);
  }

  private UUID holder(UUID job) {
    return alone.column("node_id", job, UUID.class);
  }
}
