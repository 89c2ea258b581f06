package dev.tuneforge.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.tenancy.TenantContext;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * Hibernate's tenant discriminator, fed by TenantContext, keeps one tenant's jobs and events out of
 * another's reach, and stamps new rows with the writer's tenant.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
class FineTuneTenancyIT {
  @Autowired FineTuneService fineTunes;
  @Autowired FineTuneRepository jobs;
  @Autowired JobEventRepository events;
  @Autowired JobLeasing leasing;
  @Autowired JdbcClient jdbc;
  @Autowired dev.tuneforge.app.evaluation.EvaluationService evaluations;

  @Test
  void aTenantSeesOnlyItsOwnJobsAndEvents() {
    UUID a = tenant("a");
    UUID b = tenant("b");
    UUID jobOfA = TenantContext.callAs(a, () -> job("a"));
    UUID jobOfB = TenantContext.callAs(b, () -> job("b"));

    assertThat(TenantContext.callAs(a, () -> fineTunes.find(jobOfA))).isPresent();
    assertThat(TenantContext.callAs(b, () -> fineTunes.find(jobOfA))).isEmpty();
    assertThat(TenantContext.callAs(b, () -> fineTunes.events(jobOfA))).isEmpty();
    assertThat(TenantContext.callAs(a, () -> fineTunes.events(jobOfA))).isNotEmpty();
    assertThat(TenantContext.callAs(b, () -> fineTunes.list()))
        .extracting(FineTuneJob::getId)
        .contains(jobOfB)
        .doesNotContain(jobOfA);
    assertThat(fineTunes.list()).as("nobody signed in sees nothing").isEmpty();
    assertThat(TenantContext.callAsSystem(() -> jobs.findAll()))
        .extracting(FineTuneJob::getId)
        .contains(jobOfA, jobOfB);

    UUID stamped =
        jdbc.sql("select tenant_id from job_event where job_id = ? limit 1")
            .param(jobOfB)
            .query(UUID.class)
            .single();
    assertThat(stamped).isEqualTo(b);
  }

  @Test
  void aNodeTouchesOnlyTheJobItHolds() {
    UUID a = tenant("c");
    UUID job = TenantContext.callAs(a, () -> job("c"));
    UUID node = node();
    UUID otherNode = node();
    TenantContext.runAsSystem(
        () ->
            jdbc.sql("update fine_tune_job set status = 'queued' where id = ?")
                .param(job)
                .update());
    assertThat(leasing.assign(job, node, "n1", java.time.Instant.now().plusSeconds(60))).isTrue();
    assertThat(leasing.assign(job, otherNode, "n2", java.time.Instant.now().plusSeconds(60)))
        .isFalse();
    assertThat(leasing.start(otherNode, java.time.Instant.now().plusSeconds(60))).isEmpty();
    assertThat(leasing.start(node, java.time.Instant.now().plusSeconds(60))).isPresent();
    assertThat(
            leasing.record(
                otherNode, job, List.of(dev.tuneforge.protocol.JobEvent.log("intruder"))))
        .isFalse();
    assertThat(
            leasing.record(
                node,
                job,
                List.of(dev.tuneforge.protocol.JobEvent.metric(1, 10, 2.5, 1e-3, 100, 64))))
        .isTrue();
    assertThat(
            leasing.complete(otherNode, job, dev.tuneforge.protocol.JobResult.succeeded(10, 640)))
        .isFalse();
    assertThat(
            leasing.complete(
                node, job, dev.tuneforge.protocol.JobResult.failed("out of memory", 3, 192)))
        .isTrue();
    FineTuneJob done = TenantContext.callAs(a, () -> fineTunes.find(job).orElseThrow());
    assertThat(done.getStatus()).isEqualTo(JobStatus.FAILED);
    assertThat(done.getError()).isEqualTo("out of memory");
    assertThat(done.getNodeId()).isNull();
  }

  @Test
  void aJobWhoseNodeFellSilentGoesBackToTheQueue() {
    UUID a = tenant("d");
    UUID job = TenantContext.callAs(a, () -> job("d"));
    UUID node = node();
    TenantContext.runAsSystem(
        () ->
            jdbc.sql("update fine_tune_job set status = 'queued' where id = ?")
                .param(job)
                .update());
    leasing.assign(job, node, "n", java.time.Instant.now().minusSeconds(1));
    assertThat(leasing.requeueExpired(java.time.Instant.now())).isGreaterThanOrEqualTo(1);
    FineTuneJob back = TenantContext.callAs(a, () -> fineTunes.find(job).orElseThrow());
    assertThat(back.getStatus()).isEqualTo(JobStatus.QUEUED);
    assertThat(back.getNodeId()).isNull();
    assertThat(TenantContext.callAs(a, () -> fineTunes.events(job)))
        .extracting(JobEventRecord::getMessage)
        .contains("Its node stopped answering; back in the queue");
  }

  @Test
  void anEvaluationIsSeenOnlyByItsTenant() {
    UUID a = tenant("e");
    UUID b = tenant("f");
    UUID job = TenantContext.callAs(a, () -> job("e"));
    TenantContext.runAsSystem(
        () ->
            jdbc.sql(
                    "insert into evaluation (job_id, tenant_id, status, kind, examples, decoding, max_new_tokens, seconds,"
                        + " generated_tokens, generations_key, base_metrics, tuned_metrics, field_metrics, created_at)"
                        + " values (?, ?, 'succeeded', 'extraction', 1, 'greedy', 64, 1.5, 20, 'k', ?, ?, '[]', now())")
                .params(
                    job,
                    a,
                    "{\"examples\":1,\"jsonValidity\":0.0,\"objectMatch\":0.0,\"microPrecision\":0.0,\"microRecall\":0.0,"
                        + "\"microF1\":0.0,\"rougeL\":0.1,\"textMatch\":0.0,\"loss\":3.0,\"perplexity\":20.1,\"tokenAccuracy\":0.1}",
                    "{\"examples\":1,\"jsonValidity\":1.0,\"objectMatch\":1.0,\"microPrecision\":1.0,\"microRecall\":1.0,"
                        + "\"microF1\":1.0,\"rougeL\":1.0,\"textMatch\":1.0,\"loss\":0.5,\"perplexity\":1.6,\"tokenAccuracy\":0.9}")
                .update());

    var mine = TenantContext.callAs(a, () -> evaluations.find(job)).orElseThrow();
    assertThat(mine.tuned().microF1()).isEqualTo(1.0);
    assertThat(mine.base().loss()).isEqualTo(3.0);
    assertThat(TenantContext.callAs(b, () -> evaluations.find(job))).isEmpty();
    assertThat(evaluations.find(job)).as("nobody signed in sees nothing").isEmpty();
  }

  private UUID tenant(String name) {
    UUID id = UUID.randomUUID();
    jdbc.sql("insert into tenant (id, name, created_at) values (?, ?, now())")
        .params(id, name + "-" + id)
        .update();
    return id;
  }

  private UUID node() {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into training_node (id, name, credential_hash, device, device_name, memory_bytes, cpu_cores, state, last_heartbeat_at, enrolled_at)"
                + " values (?, 'n', ?, 'cpu', 'cpu', 1, 1, 'idle', now(), now())")
        .params(id, id.toString())
        .update();
    return id;
  }

  /** Writes a job the way the service does, through the repositories, as the current tenant. */
  private UUID job(String suffix) {
    UUID tenant = TenantContext.requireTenant();
    UUID user = UUID.randomUUID();
    UUID model = UUID.randomUUID();
    UUID dataset = UUID.randomUUID();
    UUID version = UUID.randomUUID();
    TenantContext.runAsSystem(
        () -> {
          jdbc.sql(
                  "insert into app_user (id, tenant_id, username, display_name, password_hash, role, created_at) values (?, ?, ?, 'u', 'x', 'MEMBER', now())")
              .params(user, tenant, "u-" + user)
              .update();
          jdbc.sql(
                  "insert into base_model (id, name, architecture, description, object_prefix, parameters, created_at) values (?, ?, 'LlamaForCausalLM', '', 'models/x/', 1, now())")
              .params(model, "m-" + model)
              .update();
          jdbc.sql(
                  "insert into dataset (id, tenant_id, name, created_by, created_at) values (?, ?, ?, ?, now())")
              .params(dataset, tenant, "d-" + suffix, user)
              .update();
          jdbc.sql(
                  "insert into dataset_version (id, tenant_id, dataset_id, version, file_name, format, object_key, row_count, size_bytes, sha256, created_at)"
                      + " values (?, ?, ?, 1, 'f', 'chat-jsonl', 'k', 1, 1, 'x', now())")
              .params(version, tenant, dataset)
              .update();
        });
    FineTuneJob saved =
        jobs.save(
            new FineTuneJob(
                "job " + suffix,
                user,
                FineTuneRequest.defaults(model, version),
                java.time.Instant.now()));
    events.save(JobEventRecord.log(saved.getId(), "created", saved.getCreatedAt()));
    return saved.getId();
  }
}
