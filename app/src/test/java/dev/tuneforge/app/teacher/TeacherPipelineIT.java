package dev.tuneforge.app.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.outbound.OutboundFailed;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.work.RunStatus;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The teacher pipeline against a fake OpenAI-compatible endpoint, on real PostgreSQL: stored keys,
 * stage items with provenance, the judge's reasons, cancel and resume, and tenancy.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tuneforge.teacher.max-concurrent-runs=1")
@TestPropertySource("classpath:fake-teacher.properties")
@ContextConfiguration(initializers = TestDatabase.class)
class TeacherPipelineIT {
  private static final String KEY = "sk-test-VERY-SECRET-key-7f3a";
  private static final ExtractionSchema SCHEMA =
      ExtractionSchema.parse("company: the seller's name\ntotal: the amount paid, as printed");

  @Autowired TeacherService teacher;
  @Autowired TeacherPipeline pipeline;
  @Autowired TeacherDataset dataset;
  @Autowired JdbcClient jdbc;

  private FakeOpenAiEndpoint fake;

  @BeforeEach
  void startFake() throws Exception {
    fake = new FakeOpenAiEndpoint();
  }

  @AfterEach
  void stopFake() {
    fake.close();
    SecurityContextHolder.clearContext();
  }

  @Test
  void theApiKeyIsStoredEncryptedAndOnlyItsLastFourAreShown() {
    Member a = member("keys");
    TeacherEndpoint endpoint =
        a.call(() -> teacher.addEndpoint("fake", fake.baseUrl(), "fake-model", KEY));

    String stored =
        jdbc.sql("select api_key_ciphertext from teacher_endpoint where id = ?")
            .param(endpoint.getId())
            .query(String.class)
            .single();
    assertThat(stored)
        .startsWith("v1:")
        .doesNotContain(KEY)
        .doesNotContain("SECRET")
        .doesNotContain("7f3a");
    assertThat(endpoint.getMaskedKey()).isEqualTo("••••7f3a");

    assertThat(a.call(() -> teacher.testConnection(endpoint.getId()))).isEqualTo("ok");
    assertThat(fake.authorizations()).containsExactly("Bearer " + KEY);

    // A ciphertext is bound to its row: copied onto another endpoint it does not decrypt.
    TeacherEndpoint other =
        a.call(() -> teacher.addEndpoint("other", fake.baseUrl(), "fake-model", "sk-other-0000"));
    jdbc.sql("update teacher_endpoint set api_key_ciphertext = ? where id = ?")
        .params(stored, other.getId())
        .update();
    assertThatThrownBy(() -> a.call(() -> teacher.testConnection(other.getId())))
        .hasMessageContaining("cannot be decrypted");
  }

  @Test
  void badEndpointInputIsRefusedWithTheReason() {
    Member a = member("input");
    assertThatThrownBy(() -> a.call(() -> teacher.addEndpoint("x", "ftp://host", "m", KEY)))
        .hasMessageContaining("base URL must be an https URL");
    assertThatThrownBy(() -> a.call(() -> teacher.addEndpoint("x", fake.baseUrl(), "m", " ")))
        .hasMessageContaining("API key");
    assertThatThrownBy(() -> ExtractionSchema.parse("company: x\n2total: y"))
        .hasMessage(
            "Schema line 2: '2total' is not a field name (letters, digits and _, not starting with a digit)");
    TeacherEndpoint endpoint =
        a.call(() -> teacher.addEndpoint("dead", "http://127.0.0.1:1/v1", "m", KEY));
    assertThatThrownBy(() -> a.call(() -> teacher.testConnection(endpoint.getId())))
        .hasMessage(OutboundFailed.MESSAGE);
    // The cloud's metadata service and names for this host are refused as they are saved.
    assertThatThrownBy(
            () -> a.call(() -> teacher.addEndpoint("x", "http://169.254.169.254/latest", "m", KEY)))
        .hasMessageContaining("inside the platform's own network");
    assertThatThrownBy(
            () -> a.call(() -> teacher.addEndpoint("x", "http://localhost:9000/v1", "m", KEY)))
        .hasMessageContaining("inside the platform's own network");
    assertThatThrownBy(
            () ->
                a.call(
                    () -> teacher.addEndpoint("x", fake.baseUrl() + "/probe%3Fa=b%23", "m", KEY)))
        .hasMessageContaining("no user name, query, fragment or escaped characters");
  }

  @Test
  void aRunProducesRowsWithProvenanceAndReportsFailuresAndRejectionsWithReasons() throws Exception {
    Member a = member("full");
    fake.transientErrors(2)
        .badJsonFor(doc -> doc.contains("Category 1 topic 1 Ltd #2"))
        .alwaysErrorFor(doc -> doc.contains("Category 1 topic 2 Ltd #1"))
        .rejectFor(doc -> doc.contains("Category 2 topic 1 Ltd #1"))
        .wrongKeysFor(doc -> doc.contains("Category 2 topic 2 Ltd #2"));
    TeacherRun run = a.call(() -> teacher.prepare(request(a, "receipts-full", 2, 2, 2)));

    a.run(() -> pipeline.run(run.getId()));

    TeacherRun done = a.call(() -> teacher.find(run.getId()).orElseThrow());
    RunProgress progress = a.call(() -> teacher.progress(run.getId()));
    assertThat(progress.stages())
        .extracting(
            StageProgress::stage,
            StageProgress::done,
            StageProgress::failed,
            StageProgress::rejected,
            StageProgress::pending)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Stage.CATEGORIES, 1L, 0L, 0L, 0L),
            org.assertj.core.groups.Tuple.tuple(Stage.SUBTOPICS, 2L, 0L, 0L, 0L),
            org.assertj.core.groups.Tuple.tuple(Stage.DOCUMENTS, 8L, 0L, 0L, 0L),
            org.assertj.core.groups.Tuple.tuple(Stage.EXTRACTION, 6L, 2L, 0L, 0L),
            org.assertj.core.groups.Tuple.tuple(Stage.JUDGE, 5L, 0L, 1L, 0L),
            org.assertj.core.groups.Tuple.tuple(Stage.FILTER, 4L, 1L, 0L, 0L));
    assertThat(fake.calls("error"))
        .as("two transient 500s plus three tries at the broken one")
        .isEqualTo(5);

    assertThat(a.call(() -> teacher.failures(run.getId())))
        .extracting(TeacherItem::getStage, TeacherItem::getReason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                Stage.EXTRACTION, "Tried 3 times. " + OutboundFailed.MESSAGE),
            org.assertj.core.groups.Tuple.tuple(
                Stage.EXTRACTION,
                "The teacher's answer is not JSON (Unrecognized token 'Sure': was expecting (JSON String, Number,"
                    + " Array, Object or token 'null', 'true' or 'false')): Sure! Here is the data: company is ACME"),
            org.assertj.core.groups.Tuple.tuple(
                Stage.FILTER, "Keys do not match the schema: missing total"));

    List<Rejection> rejections = a.call(() -> teacher.rejections(run.getId()));
    assertThat(rejections)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo("The total is not stated in the document");
              assertThat(r.document()).contains("Category 2 topic 1 Ltd #1");
              assertThat(r.extraction()).contains("\"total\":\"10.00\"");
              assertThat(r.category()).isEqualTo("Category 2");
            });

    List<OutputRow> rows = a.call(() -> teacher.rows(run.getId()));
    assertThat(rows).hasSize(4);
    OutputRow first = rows.getFirst();
    assertThat(first.extraction())
        .isEqualTo("{\"company\":\"Category 1 topic 1 Ltd #1\",\"total\":\"10.00\"}");
    JsonNode provenance = TeacherAnswers.JSON.readTree(first.provenance());
    assertThat(provenance.path("runId").stringValue()).isEqualTo(run.getId().toString());
    assertThat(provenance.path("category").stringValue()).isEqualTo("Category 1");
    assertThat(provenance.path("subtopic").stringValue()).isEqualTo("Category 1 topic 1");
    assertThat(provenance.path("teacherModel").stringValue()).isEqualTo("fake-model");
    assertThat(provenance.path("documentItemId").stringValue())
        .isEqualTo(provenance.path("items").path("documents").stringValue());
    assertThat(provenance.path("prompts").path("extraction").stringValue())
        .isEqualTo("extraction/v1");
    assertThat(provenance.path("prompts").path("judge").stringValue()).isEqualTo("judge/v1");
    assertThat(provenance.path("prompts").path("categories").stringValue())
        .isEqualTo("categories/v1");

    StringWriter jsonl = new StringWriter();
    a.run(
        () -> {
          try {
            dataset.write(done, a.call(() -> kept(run.getId())), jsonl);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    List<String> lines = jsonl.toString().lines().toList();
    assertThat(lines).hasSize(4);
    JsonNode row = TeacherAnswers.JSON.readTree(lines.getFirst());
    assertThat(row.path("messages"))
        .extracting(m -> m.path("role").stringValue())
        .containsExactly("system", "user", "assistant");
    assertThat(row.path("messages").path(0).path("content").stringValue())
        .isEqualTo(SCHEMA.systemPrompt());
    assertThat(row.path("messages").path(1).path("content").stringValue())
        .isEqualTo(first.document());
    assertThat(row.path("messages").path(2).path("content").stringValue())
        .isEqualTo(first.extraction());

    // Tests have no object storage: the rows passed DatasetService's validation and only the store
    // failed.
    assertThat(done.getStatus()).isEqualTo(RunStatus.FAILED);
    assertThat(done.getError())
        .startsWith("The 4 rows are ready but storing the dataset failed")
        .endsWith("resume to try again");
    System.out.println("Storing without object storage: " + done.getError());
  }

  @Test
  void aCancelledRunResumesWithoutRedoingFinishedItems() {
    Member a = member("resume");
    java.util.concurrent.atomic.AtomicReference<UUID> launched =
        new java.util.concurrent.atomic.AtomicReference<>();
    fake.afterCall(
        n -> {
          if (n == 7) {
            a.run(() -> teacher.cancel(launched.get()));
          }
        });
    TeacherRun run =
        a.call(
            () -> {
              TeacherRun prepared = teacher.prepare(request(a, "receipts-resume", 2, 2, 2));
              launched.set(prepared.getId());
              teacher.schedule(prepared);
              return prepared;
            });

    TeacherRun cancelled = awaitStopped(a, run.getId());
    assertThat(cancelled.getStatus()).isEqualTo(RunStatus.CANCELLED);
    assertThat(cancelled.getError())
        .isEqualTo("Cancelled; resume to continue with the items not yet done");
    RunProgress halfway = a.call(() -> teacher.progress(run.getId()));
    assertThat(halfway.stages().get(2).done())
        .as("documents written before the cancel")
        .isEqualTo(4);
    assertThat(halfway.stages().get(2).pending()).isEqualTo(4);
    assertThat(halfway.fraction()).isBetween(0.3, 0.5);
    assertThatThrownBy(() -> a.run(() -> teacher.cancel(UUID.randomUUID())))
        .hasMessage("No such run");

    fake.afterCall(n -> {});
    a.run(() -> teacher.resume(run.getId()));
    awaitFinished(a, run.getId());

    assertThat(fake.calls("categories")).isEqualTo(1);
    assertThat(fake.calls("subtopics")).isEqualTo(2);
    assertThat(fake.calls("documents")).isEqualTo(8);
    assertThat(fake.calls("extraction")).isEqualTo(8);
    assertThat(fake.calls("judge")).isEqualTo(8);
    assertThat(new HashSet<>(fake.prompts()))
        .as("no prompt asked twice")
        .hasSize(fake.prompts().size());
    assertThat(a.call(() -> teacher.rows(run.getId()))).hasSize(8);
    assertThat(a.call(() -> teacher.progress(run.getId())).stages())
        .allSatisfy(stage -> assertThat(stage.pending()).isZero());
  }

  @Test
  void aRunWhoseRunnerVanishedCanBeCancelledAndResumed() {
    Member a = member("orphan");
    TeacherRun run = a.call(() -> teacher.prepare(request(a, "receipts-orphan", 1, 1, 1)));
    jdbc.sql("update teacher_run set status = 'RUNNING' where id = ?").param(run.getId()).update();

    a.run(() -> teacher.cancel(run.getId()));
    assertThat(a.call(() -> teacher.find(run.getId()).orElseThrow()).getStatus())
        .isEqualTo(RunStatus.CANCELLED);

    a.run(() -> teacher.resume(run.getId()));
    assertThat(awaitFinished(a, run.getId()).getError()).startsWith("The 1 rows are ready");
  }

  @Test
  void aLaunchedRunWorksInTheBackground() {
    Member a = member("background");
    TeacherRun run = a.call(() -> teacher.launch(request(a, "receipts-background", 1, 1, 2)));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    TeacherRun current = run;
    while (current.getStatus().active() && Instant.now().isBefore(deadline)) {
      sleep(200);
      current = a.call(() -> teacher.find(run.getId()).orElseThrow());
    }
    assertThat(current.getStatus())
        .as(String.valueOf(current.getError()))
        .isIn(RunStatus.FAILED, RunStatus.SUCCEEDED);
    assertThat(a.call(() -> teacher.rows(run.getId()))).hasSize(2);
    assertThatThrownBy(() -> a.run(() -> teacher.resume(UUID.randomUUID())))
        .hasMessage("No such run");
  }

  @Test
  void runsBeyondTheInstancesLimitWaitTheirTurn() {
    Member a = member("queue");
    fake.delay(300);
    TeacherRun first = a.call(() -> teacher.launch(request(a, "receipts-first", 1, 1, 2)));
    TeacherRun second = a.call(() -> teacher.launch(request(a, "receipts-second", 1, 1, 2)));

    TeacherRun firstDone = awaitFinished(a, first.getId());
    TeacherRun secondDone = awaitFinished(a, second.getId());
    assertThat(a.call(() -> teacher.rows(second.getId()))).hasSize(2);
    TeacherRun earlier =
        firstDone.getStartedAt().isBefore(secondDone.getStartedAt()) ? firstDone : secondDone;
    TeacherRun later = earlier == firstDone ? secondDone : firstDone;
    assertThat(later.getStartedAt())
        .as("one run at a time on this instance")
        .isAfter(earlier.getFinishedAt());
  }

  private TeacherRun awaitStopped(Member member, UUID runId) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    TeacherRun current = member.call(() -> teacher.find(runId).orElseThrow());
    while (current.getStatus().active() && Instant.now().isBefore(deadline)) {
      sleep(100);
      current = member.call(() -> teacher.find(runId).orElseThrow());
    }
    return current;
  }

  private TeacherRun awaitFinished(Member member, UUID runId) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    TeacherRun current = member.call(() -> teacher.find(runId).orElseThrow());
    while (current.getStatus().active() && Instant.now().isBefore(deadline)) {
      sleep(200);
      current = member.call(() -> teacher.find(runId).orElseThrow());
    }
    assertThat(current.getStatus())
        .as(String.valueOf(current.getError()))
        .isIn(RunStatus.FAILED, RunStatus.SUCCEEDED);
    return current;
  }

  @Test
  void aTenantSeesOnlyItsOwnEndpointsAndRuns() {
    Member a = member("iso-a");
    Member b = member("iso-b");
    TeacherEndpoint endpointOfA =
        a.call(() -> teacher.addEndpoint("shared name", fake.baseUrl(), "fake-model", KEY));
    TeacherEndpoint endpointOfB =
        b.call(() -> teacher.addEndpoint("shared name", fake.baseUrl(), "fake-model", KEY));
    TeacherRun runOfA = a.call(() -> teacher.prepare(request(a, "iso", 1, 1, 1)));

    assertThat(b.call(() -> teacher.endpoints()))
        .extracting(TeacherEndpoint::getId)
        .contains(endpointOfB.getId())
        .doesNotContain(endpointOfA.getId());
    assertThat(b.call(() -> teacher.endpoint(endpointOfA.getId()))).isEmpty();
    assertThatThrownBy(() -> b.call(() -> teacher.testConnection(endpointOfA.getId())))
        .hasMessage("No such endpoint");
    assertThatThrownBy(
            () ->
                b.call(
                    () ->
                        teacher.prepare(
                            new TeacherRunRequest(
                                endpointOfA.getId(), "steal", "d", SCHEMA, 1, 1, 1, 0.7, 1))))
        .hasMessage("Choose one of your teacher endpoints");
    assertThat(b.call(() -> teacher.find(runOfA.getId()))).isEmpty();
    assertThat(b.call(() -> teacher.runs()))
        .extracting(TeacherRun::getId)
        .doesNotContain(runOfA.getId());
    assertThatThrownBy(() -> b.run(() -> teacher.cancel(runOfA.getId()))).hasMessage("No such run");
    assertThatThrownBy(() -> b.call(() -> teacher.progress(runOfA.getId())))
        .hasMessage("No such run");
    assertThat(teacher.runs()).as("nobody signed in sees nothing").isEmpty();

    a.run(() -> pipeline.run(runOfA.getId()));
    assertThat(b.call(() -> teacher.rows(runOfA.getId()))).isEmpty();
    assertThat(a.call(() -> teacher.rows(runOfA.getId()))).hasSize(1);
    UUID stamped =
        jdbc.sql("select distinct tenant_id from teacher_item where run_id = ?")
            .param(runOfA.getId())
            .query(UUID.class)
            .single();
    assertThat(stamped).isEqualTo(a.tenant());
  }

  private List<TeacherItem> kept(UUID runId) {
    return teacher.rows(runId).stream().map(row -> teacherItem(row.itemId())).toList();
  }

  @Autowired TeacherItemRepository items;

  private TeacherItem teacherItem(UUID id) {
    return items.findById(id).orElseThrow();
  }

  private TeacherRunRequest request(
      Member member, String name, int categories, int subtopics, int documents) {
    TeacherEndpoint endpoint =
        member.call(
            () ->
                teacher.endpoints().stream()
                    .filter(e -> e.getName().equals("fake"))
                    .findFirst()
                    .orElseGet(
                        () -> teacher.addEndpoint("fake", fake.baseUrl(), "fake-model", KEY)));
    return new TeacherRunRequest(
        endpoint.getId(),
        name,
        "Shop receipts from Malaysia",
        SCHEMA,
        categories,
        subtopics,
        documents,
        0.7,
        42);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A signed-in member of a fresh tenant; work runs as them, on any thread. */
  private record Member(UUID tenant, SignedInUser user) {
    <T> T call(Supplier<T> work) {
      var previous = SecurityContextHolder.getContext();
      var context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(
          UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
      SecurityContextHolder.setContext(context);
      try {
        return TenantContext.callAs(tenant, work);
      } finally {
        SecurityContextHolder.setContext(previous);
      }
    }

    void run(Runnable work) {
      call(
          () -> {
            work.run();
            return null;
          });
    }
  }

  private Member member(String name) {
    UUID tenant = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    String username = name + "-" + user;
    jdbc.sql("insert into tenant (id, name, created_at) values (?, ?, now())")
        .params(tenant, name + "-" + tenant)
        .update();
    jdbc.sql(
            "insert into app_user (id, tenant_id, username, display_name, password_hash, role, enabled, created_at)"
                + " values (?, ?, ?, 'u', 'x', 'MEMBER', true, now())")
        .params(user, tenant, username)
        .update();
    return new Member(
        tenant, new SignedInUser(user, tenant, username, "u", Role.MEMBER, "x", true));
  }
}
