package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.app.storage.ObjectStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the lease URL tests share: dispatching alone (see {@link DispatchAlone}: otherwise a
 * dispatcher of any test's context may hand a job another test left queued to a node enrolled here,
 * and that job's lease is the one the node starts), nodes enrolled over the node API, a queued job
 * of a tenant of its own, its training file in object storage, and a node taking it.
 */
final class LeaseFixture {
  /** An enrolled node: its {@code Authorization} header and its id. */
  record Node(String bearer, UUID id) {}

  /** A queued job and its tenant. */
  record Job(UUID tenant, UUID id) {}

  private final TestNodeApi api;
  private final NodeService nodes;
  private final JobLeasing leasing;
  private final NodeProperties properties;
  private final ObjectStorage storage;
  private final JdbcClient jdbc;
  private final TestClock clock;
  private final DispatchAlone alone;

  LeaseFixture(
      int port,
      NodeService nodes,
      JobLeasing leasing,
      NodeProperties properties,
      ObjectStorage storage,
      JdbcClient jdbc,
      TestClock clock,
      Scheduler scheduler) {
    this.api = new TestNodeApi(port);
    this.nodes = nodes;
    this.leasing = leasing;
    this.properties = properties;
    this.storage = storage;
    this.jdbc = jdbc;
    this.clock = clock;
    this.alone = new DispatchAlone(scheduler, jdbc);
  }

  TestNodeApi api() {
    return api;
  }

  /** Dispatch only as the test asks, with no other job queued or running. */
  void begin() throws SchedulerException {
    alone.begin();
  }

  void end() throws SchedulerException {
    alone.end();
  }

  Node enrol(String name) throws Exception {
    String bearer = "Bearer " + api.enrol(nodes.issueEnrolmentTokenForLocalNode(), name);
    return new Node(bearer, nodes.authenticate(bearer.substring(7)).orElseThrow().getId());
  }

  /** A queued LoRA job of a new tenant named {@code name}, on a one-row dataset version. */
  Job queuedJob(String name) {
    TestRows rows = new TestRows(jdbc);
    UUID tenant = rows.tenant(name);
    UUID user = rows.user(tenant, name + "-" + UUID.randomUUID());
    UUID job =
        rows.job(
            tenant,
            user,
            rows.model(name + "-" + UUID.randomUUID()),
            rows.datasetVersion(tenant, user, 1, 1),
            name,
            "queued");
    return new Job(tenant, job);
  }

  /**
   * Stores {@code text}, through a file in {@code dir}, as the training file of the job's dataset
   * version; returns its key.
   */
  String datasetObject(UUID job, String text, Path dir) throws Exception {
    String key = "datasets/" + job + "/train.jsonl";
    jdbc.sql(
            "update dataset_version set object_key = ? where id = (select dataset_version_id"
                + " from fine_tune_job where id = ?)")
        .params(key, job)
        .update();
    Path file = Files.writeString(dir.resolve(job + ".jsonl"), text);
    storage.put(key, file, "application/jsonl");
    return key;
  }

  /** The node is given the job and starts it, as a poll does. */
  FineTuneJob take(UUID job, UUID node) {
    assertThat(leasing.assign(job, node, "node", leaseUntil())).isTrue();
    FineTuneJob started = leasing.start(node, leaseUntil()).orElseThrow();
    assertThat(started.getId()).as("the job the node started").isEqualTo(job);
    return started;
  }

  /** When a lease given now ends. */
  Instant leaseUntil() {
    return clock.instant().plus(properties.leaseDuration());
  }
}
