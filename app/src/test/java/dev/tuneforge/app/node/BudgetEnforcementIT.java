package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.tenancy.TenantService;
import dev.tuneforge.app.usage.UsageRecord;
import dev.tuneforge.app.usage.UsageSegment;
import dev.tuneforge.app.usage.UsageService;
import dev.tuneforge.protocol.NodeApi;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.ContextConfiguration;

/**
 * Budgets over the real node API and dispatcher: a job its tenant cannot afford waits and says why;
 * a running job whose tenant spent its budget is told to stop at a checkpoint, pauses with that
 * checkpoint kept, and goes back in the queue once the budget is raised. The clock stands
 * mid-month, so that usage from ten minutes ago counts in this month whatever the day.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@ExtendWith(TestClock.MidNextMonth.class)
class BudgetEnforcementIT {
  private final HttpClient http = HttpClient.newHttpClient();
  @LocalServerPort int port;
  @Autowired NodeService nodes;
  @Autowired Dispatcher dispatcher;
  @Autowired JobLeasing leasing;
  @Autowired Metering metering;
  @Autowired FineTuneService fineTunes;
  @Autowired TenantService tenants;
  @Autowired UsageService usage;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;

  @Test
  void aJobThatWouldExceedTheBudgetIsHeldWithItsReasonAndDispatchedOnceTheBudgetIsRaised()
      throws Exception {
    Tenant t = new Tenant("held");
    UUID node = nodes.authenticate(enrol("budget-node-1")).orElseThrow().getId();
    // The budget first: Quartz's own dispatch ticks must not find the job before it has one.
    budget(t.id, new BigDecimal("0"));
    UUID job = t.job("queued");
    onlyThisJobWaits(job);

    dispatcher.dispatch();
    dispatcher.dispatch();
    FineTuneJob held = t.find(job);
    assertThat(held.getStatus()).isEqualTo(JobStatus.QUEUED);
    assertThat(held.getNodeId()).as("no node for it").isNull();
    assertThat(held.getHoldReason())
        .contains("monthly budget of 0.00 USD would be exceeded")
        .contains("this job's estimate of");
    assertThat(t.messages(job).stream().filter(m -> m.startsWith("Not dispatched: ")))
        .as("said once, not at every dispatch tick")
        .hasSize(1);

    UUID earlier = t.job("succeeded");
    Instant start = clock.instant().minusSeconds(600);
    usage.open(
        new UsageSegment(
            t.id,
            earlier,
            "earlier job",
            t.user,
            t.model,
            node,
            "budget-node-1",
            "cpu · budget test",
            new BigDecimal("3.6"),
            0,
            start));
    usage.close(earlier, 100_000, start.plusSeconds(100));
    dispatcher.dispatch();
    assertThat(t.find(job).getHoldReason())
        .as("the shown reason follows the spend")
        .contains("0.1000 USD spent");
    assertThat(t.messages(job).stream().filter(m -> m.startsWith("Not dispatched: ")))
        .as("a new wording of the same wait is not logged again")
        .hasSize(1);

    budget(t.id, new BigDecimal("25"));
    dispatcher.dispatch();
    FineTuneJob dispatched = t.find(job);
    assertThat(dispatched.getNodeId()).as("assigned to a node").isNotNull();
    assertThat(dispatched.getHoldReason()).isNull();
  }

  @Test
  void aRunningJobThatReachesTheBudgetStopsAtACheckpointPausesAndResumesWhenTheBudgetIsRaised()
      throws Exception {
    Tenant t = new Tenant("paused");
    String credential = enrol("budget-node-2");
    UUID node = nodes.authenticate(credential).orElseThrow().getId();
    UUID job = t.job("queued");
    onlyThisJobWaits(job);
    assertThat(leasing.assign(job, node, "budget-node-2", clock.instant().plusSeconds(60)))
        .isTrue();
    FineTuneJob running = leasing.start(node, clock.instant().plusSeconds(60)).orElseThrow();
    metering.started(running, nodes.authenticate(credential).orElseThrow());

    assertThat(heartbeat(credential, job)).contains("\"stopCurrentJob\":null");
    budget(t.id, new BigDecimal("0"));
    String reply = heartbeat(credential, job);
    assertThat(reply)
        .contains("\"cancelCurrentJob\":false")
        .contains("monthly budget of 0.00 USD is spent");
    assertThat(heartbeat(credential, job))
        .as("repeated until the node reports")
        .contains("is spent");
    assertThat(t.messages(job).stream().filter(m -> m.startsWith("Stopping at a checkpoint: ")))
        .hasSize(1);

    assertThat(leasing.checkpointed(node, job, 4)).isTrue();
    HttpResponse<String> result =
        post(
            NodeApi.RESULT.replace("{jobId}", job.toString()),
            credential,
            "{\"status\":\"stopped\",\"reason\":\"the tenant's monthly budget is spent\",\"steps\":4,\"trainedTokens\":512}");
    assertThat(result.statusCode()).isEqualTo(200);
    FineTuneJob paused = t.find(job);
    assertThat(paused.getStatus()).isEqualTo(JobStatus.PAUSED);
    assertThat(paused.getLastCheckpointStep()).as("the checkpoint is kept").isEqualTo(4);
    assertThat(paused.getSteps()).isEqualTo(4);
    assertThat(paused.getNodeId()).isNull();
    assertThat(paused.getHoldReason()).contains("budget");
    assertThat(t.messages(job))
        .contains(
            "Paused after 4 steps at checkpoint step-4: the tenant's monthly budget is spent");
    // Metering closes the segment once the result commits, on its own thread.
    List<UsageRecord> segments =
        Awaitility.await("the segment closed")
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> TenantContext.callAs(t.id, () -> usage.segments(job)),
                all -> all.getFirst().getEndedAt() != null);
    assertThat(segments).hasSize(1);
    assertThat(segments.getFirst().getEndedAt()).as("the node's time stops counting").isNotNull();
    assertThat(segments.getFirst().getTrainedTokens()).isEqualTo(512);

    dispatcher.dispatch();
    assertThat(t.find(job).getStatus()).as("still over budget").isEqualTo(JobStatus.PAUSED);

    budget(t.id, new BigDecimal("25"));
    dispatcher.dispatch();
    FineTuneJob resumed = t.find(job);
    assertThat(resumed.getStatus()).isEqualTo(JobStatus.QUEUED);
    assertThat(resumed.getLastCheckpointStep()).as("the lease will resume from it").isEqualTo(4);
    assertThat(t.messages(job))
        .contains("The budget allows it again; back in the queue to resume from checkpoint step-4");
  }

  private void budget(UUID tenant, @Nullable BigDecimal amount) {
    SignedInUser admin =
        new SignedInUser(UUID.randomUUID(), null, "admin", "admin", Role.PLATFORM_ADMIN, "x", true);
    SecurityContextHolder.getContext()
        .setAuthentication(
            UsernamePasswordAuthenticationToken.authenticated(admin, null, admin.getAuthorities()));
    try {
      tenants.setMonthlyBudget(tenant, amount);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  /** Other tests' leftovers in the shared database must not take the idle nodes first. */
  private void onlyThisJobWaits(UUID job) {
    jdbc.sql(
            "update fine_tune_job set status = 'cancelled', node_id = null, lease_expires_at = null"
                + " where status in ('queued', 'paused') and id <> ?")
        .param(job)
        .update();
  }

  private String enrol(String name) throws Exception {
    String token = nodes.issueEnrolmentTokenForLocalNode();
    String body =
        "{\"token\":\""
            + token
            + "\",\"name\":\""
            + name
            + "\",\"resources\":{\"device\":\"cpu\",\"deviceName\":\"budget test\",\"memoryBytes\":1024,\"cpuCores\":2}}";
    HttpResponse<String> enrolled = post(NodeApi.ENROL, null, body);
    assertThat(enrolled.statusCode()).isEqualTo(200);
    return enrolled.body().replaceAll(".*\"credential\":\"([^\"]+)\".*", "$1");
  }

  private String heartbeat(String credential, UUID job) throws Exception {
    HttpResponse<String> reply =
        post(
            NodeApi.HEARTBEAT, credential, "{\"state\":\"busy\",\"currentJobId\":\"" + job + "\"}");
    assertThat(reply.statusCode()).isEqualTo(200);
    return reply.body();
  }

  private HttpResponse<String> post(String path, @Nullable String credential, String json)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A tenant with a member, a base model and a 400 kB dataset, written as the other features would.
   */
  private final class Tenant {
    final UUID id = UUID.randomUUID();
    final UUID user = UUID.randomUUID();
    final UUID model = UUID.randomUUID();
    final UUID version = UUID.randomUUID();

    Tenant(String name) {
      UUID dataset = UUID.randomUUID();
      jdbc.sql("insert into tenant (id, name, created_at) values (?, ?, now())")
          .params(id, name + "-" + id)
          .update();
      jdbc.sql(
              "insert into app_user (id, tenant_id, username, display_name, password_hash, role, created_at) values (?, ?, ?, 'u', 'x', 'MEMBER', now())")
          .params(user, id, "u-" + user)
          .update();
      jdbc.sql(
              "insert into base_model (id, name, architecture, description, object_prefix, parameters, created_at) values (?, ?, 'LlamaForCausalLM', '', 'models/x/', 1, now())")
          .params(model, "m-" + model)
          .update();
      jdbc.sql(
              "insert into dataset (id, tenant_id, name, created_by, created_at) values (?, ?, ?, ?, now())")
          .params(dataset, id, "d-" + dataset, user)
          .update();
      jdbc.sql(
              "insert into dataset_version (id, tenant_id, dataset_id, version, file_name, format, object_key, row_count, size_bytes, sha256, created_at)"
                  + " values (?, ?, ?, 1, 'f', 'chat-jsonl', 'k', 100, 400000, 'x', now())")
          .params(version, id, dataset)
          .update();
    }

    UUID job(String status) {
      UUID job = UUID.randomUUID();
      jdbc.sql(
              "insert into fine_tune_job (id, tenant_id, name, created_by, base_model_id, dataset_version_id, status, method, lora_r,"
                  + " lora_alpha, lora_dropout, target_modules, epochs, learning_rate, batch_size, max_seq_length, seed, max_steps,"
                  + " checkpoint_every, created_at) values (?, ?, 'budget job', ?, ?, ?, ?, 'lora', 8, 16, 0, 'q_proj', 2, 0.0002, 2, 512, 42, 0, 4, now())")
          .params(job, id, user, model, version, status)
          .update();
      return job;
    }

    FineTuneJob find(UUID job) {
      return TenantContext.callAs(id, () -> fineTunes.find(job).orElseThrow());
    }

    List<String> messages(UUID job) {
      return TenantContext.callAs(id, () -> fineTunes.events(job)).stream()
          .map(JobEventRecord::getMessage)
          .filter(m -> m != null)
          .toList();
    }
  }
}
