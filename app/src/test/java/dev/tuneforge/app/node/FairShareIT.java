package dev.tuneforge.app.node;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.tenancy.QuotaOverrides;
import dev.tuneforge.app.tenancy.TenantQuotas;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
 * Dispatch shares nodes between tenants: a tenant with many queued jobs takes turns with one that
 * queued a single job later, a tenant that used nodes lately waits behind one that did not, each
 * tenant's jobs keep their order, and a tenant at its running-jobs quota waits with the reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class FairShareIT {
  @LocalServerPort int port;
  @Autowired Dispatcher dispatcher;
  @Autowired NodeService nodes;
  @Autowired TenantQuotas quotas;
  @Autowired JdbcClient jdbc;
  @Autowired Scheduler scheduler;
  @Autowired TestClock clock;
  @Autowired DataSource dataSource;

  private DispatchAlone alone;
  private TestRows rows;
  private UUID model;

  @BeforeEach
  void noOtherNodesOrJobs() throws Exception {
    // metered time ends now on the database's clock too, whatever a test before moved
    clock.reset();
    alone = new DispatchAlone(scheduler, jdbc);
    alone.holdTheDispatchLock(dataSource);
    alone.begin();
    rows = new TestRows(jdbc);
    model = rows.model("fair-" + UUID.randomUUID());
  }

  @AfterEach
  void dispatchAtTheTickAgain() throws Exception {
    alone.end();
  }

  @Test
  void aTenantWithOneJobQueuedLaterGetsTheNextFreeNodeBeforeTheManyJobsOfAnother()
      throws Exception {
    List<UUID> many = queue("many", 6);
    List<UUID> one = queue("one", 1);
    UUID node = enrol("fair-node");

    assertThat(dispatcher.dispatch()).isEqualTo(1);
    assertThat(holder(many.getFirst())).as("the oldest job, both tenants unused").isEqualTo(node);

    finish(many.getFirst());
    assertThat(dispatcher.dispatch()).isEqualTo(1);
    assertThat(holder(one.getFirst()))
        .as("the single job takes the next free slot")
        .isEqualTo(node);

    finish(one.getFirst());
    List<UUID> order = new ArrayList<>();
    for (int i = 1; i < many.size(); i++) {
      assertThat(dispatcher.dispatch()).isEqualTo(1);
      UUID taken = heldBy(node);
      order.add(taken);
      finish(taken);
    }
    assertThat(order).as("first in, first out inside a tenant").isEqualTo(many.subList(1, 6));
  }

  @Test
  void aTenantThatUsedNodesLatelyWaitsBehindOneThatDidNotAndTheQuotaCapsRunningJobs()
      throws Exception {
    List<UUID> busy = queue("busy", 2);
    List<UUID> fresh = queue("fresh", 2);
    UUID busyTenant = tenantOf(busy.getFirst());
    // two hours of node time in the window for the busy tenant, on an earlier job of its own
    UUID past =
        rows.job(
            busyTenant,
            creator(busy.getFirst()),
            model,
            version(busy.getFirst()),
            "past",
            "queued");
    // the past job's node is gone
    UUID pastNode = rows.node("cpu", "CPU");
    jdbc.sql("update training_node set state = 'offline' where id = ?").param(pastNode).update();
    jdbc.sql("update fine_tune_job set node_id = ? where id = ?").params(pastNode, past).update();
    finish(past, 7200);
    setQuotas(tenantOf(fresh.getFirst()), new QuotaOverrides(1, null, null, null, 1));

    UUID first = enrol("fair-a");
    assertThat(dispatcher.dispatch()).isEqualTo(1);
    assertThat(holder(fresh.getFirst()))
        .as(
            "the tenant without recent use first, though the other queued earlier; nodes: %s",
            jdbc.sql(
                    "select id || ' ' || name || ' ' || state from training_node"
                        + " where state <> 'offline' or id::text = ?")
                .param(String.valueOf(holder(fresh.getFirst())))
                .query(String.class)
                .list())
        .isEqualTo(first);
    assertThat(holder(busy.getFirst())).isNull();

    UUID second = enrol("fair-b");
    assertThat(dispatcher.dispatch()).isEqualTo(1);
    assertThat(holder(fresh.getLast())).as("its running-jobs quota is 1").isNull();
    assertThat(holdReason(fresh.getLast()))
        .isEqualTo("the team's quota of 1 running fine-tunes is in use; it starts after one");
    assertThat(holder(busy.getFirst())).as("the free node is not left idle").isEqualTo(second);
    assertThat(busyTenant).isNotEqualTo(tenantOf(fresh.getFirst()));
  }

  private List<UUID> queue(String tenantName, int count) {
    UUID tenant = rows.tenant(tenantName);
    UUID user = rows.user(tenant, tenantName + "-" + UUID.randomUUID());
    UUID version = rows.datasetVersion(tenant, user, 10, 1000);
    List<UUID> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      UUID job = rows.job(tenant, user, model, version, tenantName + " " + i, "queued");
      // created one after another, a second apart, so "oldest" is well defined
      jdbc.sql(
              "update fine_tune_job set created_at = now() + make_interval(secs => ?) where id = ?")
          .params(jobsSoFar++, job)
          .update();
      jobs.add(job);
    }
    return jobs;
  }

  private int jobsSoFar;

  private UUID enrol(String name) throws Exception {
    String credential = DispatchAlone.enrolCpuNode(port, nodes, name);
    return nodes.authenticate(credential).orElseThrow().getId();
  }

  private void setQuotas(UUID tenant, QuotaOverrides overrides) {
    SignedInUser admin =
        new SignedInUser(UUID.randomUUID(), null, "admin", "admin", Role.PLATFORM_ADMIN, "x", true);
    as(admin, () -> quotas.set(tenant, overrides));
  }

  private UUID holder(UUID job) {
    return column("node_id", job, UUID.class);
  }

  private String holdReason(UUID job) {
    return column("hold_reason", job, String.class);
  }

  private UUID creator(UUID job) {
    return column("created_by", job, UUID.class);
  }

  private UUID version(UUID job) {
    return column("dataset_version_id", job, UUID.class);
  }

  private UUID tenantOf(UUID job) {
    return column("tenant_id", job, UUID.class);
  }

  private <T> T column(String name, UUID job, Class<T> type) {
    return alone.column(name, job, type);
  }

  private UUID heldBy(UUID node) {
    return jdbc.sql("select id from fine_tune_job where node_id = ? and status = 'queued'")
        .param(node)
        .query(UUID.class)
        .single();
  }

  /**
   * The node is done with the job after ten minutes (or {@code seconds}) on it: it ends as a node's
   * result would end it, with its metered segment.
   */
  private void finish(UUID job) {
    finish(job, 600);
  }

  /**
   * Meters {@code seconds} of node time ending now on the app's clock (which other test classes
   * sharing this context may have moved), then ends the job.
   */
  private void finish(UUID job, int seconds) {
    Timestamp end = Timestamp.from(clock.instant());
    jdbc.sql(
            "insert into usage_record (id, tenant_id, job_id, job_name, user_id, base_model_id,"
                + " base_model_name, node_id, node_name, node_class, price_per_gpu_hour, kind,"
                + " started_at, ended_at, seconds) select ?, j.tenant_id, j.id, j.name,"
                + " j.created_by, j.base_model_id, 'm', j.node_id, 'n', 'cpu', 0, 'training',"
                + " ?::timestamptz - make_interval(secs => ?), ?, ? from fine_tune_job j"
                + " where j.id = ?")
        .params(UUID.randomUUID(), end, seconds, end, seconds, job)
        .update();
    jdbc.sql("update fine_tune_job set status = 'succeeded', node_id = null where id = ?")
        .param(job)
        .update();
  }
}
