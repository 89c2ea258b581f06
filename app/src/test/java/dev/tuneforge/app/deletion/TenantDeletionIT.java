package dev.tuneforge.app.deletion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.app.TestApi;
import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.apikey.ApiKeys;
import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.synthetic.GenerationJob;
import dev.tuneforge.app.tenancy.TenantService;
import dev.tuneforge.app.work.TenantWork;
import dev.tuneforge.app.work.TryLater;
import dev.tuneforge.app.work.WorkContext;
import dev.tuneforge.app.work.WorkKind;
import dev.tuneforge.app.work.WorkRunner;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A platform admin deletes a tenant: at once its members and keys are refused and its jobs
 * cancelled; after the grace period nothing of it is left in any table (found from the database's
 * catalogue) or in the bucket, and another tenant's data is untouched. Undone in time, everything
 * works again and nothing is removed. The same over {@code /api}, and the removal leaves no Quartz
 * job of the tenant's runs to fire later.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
@Import(TenantDeletionIT.ComeBackLater.class)
class TenantDeletionIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final SignedInUser ROOT =
      new SignedInUser(UUID.randomUUID(), null, "root", "Root", Role.PLATFORM_ADMIN, "x", true);

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired ObjectStorage storage;
  @Autowired MultipartStorage multipart;
  @Autowired TenantService tenants;
  @Autowired AccountService accounts;
  @Autowired ApiKeys keys;
  @Autowired TenantRemoval removal;
  @Autowired TestClock clock;
  @Autowired WorkRunner runner;
  @TempDir Path dir;
  private TenantData data;

  @BeforeEach
  void setUp() {
    data = new TenantData(jdbc, storage, multipart, dir);
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void afterTheGracePeriodNothingOfTheTenantIsLeftAndOthersAreUntouched() throws Exception {
    TenantData.Tenant doomed = data.create("doomed");
    TenantData.Tenant kept = data.create("kept");
    assertThat(data.rowCounts(doomed.id()))
        .as(
            "the fixture fills every table with a tenant column; add a row to TenantData for a new one")
        .allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());
    String key = keyOf(doomed);
    assertThat(get("/v1/models", key)).isEqualTo(200);
    jdbc.sql("insert into sign_in_throttle values (?, 3, now(), now())")
        .param("account:" + doomed.username().toLowerCase())
        .update();
    Map<String, Integer> keptRows = data.rowCounts(kept.id());
    List<String> keptObjects = storage.list(ObjectKeys.tenantPrefix(kept.id()));

    assertThatThrownBy(() -> asRoot(() -> tenants.scheduleDeletion(doomed.id(), "kept")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Type the tenant's name");
    assertThat(tenants.isActive(doomed.id())).isTrue();
    asRoot(() -> tenants.scheduleDeletion(doomed.id(), doomed.name()));

    assertThat(accounts.current(doomed.member())).isEmpty();
    assertThat(accounts.loadUserByUsername(doomed.username()).isEnabled()).isFalse();
    assertThat(get("/v1/models", key)).isEqualTo(401);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(status(doomed.queuedJob())).isEqualTo("cancelled");
              assertThat(cancelRequested(doomed.runningJob())).isTrue();
            });
    assertThat(status(kept.queuedJob())).isEqualTo("queued");
    assertThat(accounts.current(kept.member())).isPresent();

    clock.advance(Duration.ofDays(7).plusMinutes(1));
    assertThatThrownBy(() -> asRoot(() -> tenants.undoDeletion(doomed.id())))
        .hasMessageContaining("removal is under way");
    removal.removeDue();

    assertThat(data.rowCounts(doomed.id()))
        .allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
    assertThat(storage.list(ObjectKeys.tenantPrefix(doomed.id()))).isEmpty();
    assertThat(multipart.incompleteUploads(ObjectKeys.tenantPrefix(doomed.id()))).isEmpty();
    assertThat(
            jdbc.sql("select count(*) from sign_in_throttle where subject = ?")
                .param("account:" + doomed.username().toLowerCase())
                .query(Integer.class)
                .single())
        .isZero();
    assertNothingRemoved(kept, keptRows);
    assertThat(storage.list(ObjectKeys.tenantPrefix(kept.id()))).isEqualTo(keptObjects);
    assertThat(multipart.incompleteUploads(ObjectKeys.tenantPrefix(kept.id()))).hasSize(2);
  }

  @Test
  void undoneInTimeTheTenantWorksAgainAndKeepsEverything() throws Exception {
    TenantData.Tenant tenant = data.create("restored");
    String key = keyOf(tenant);
    Map<String, Integer> before = data.rowCounts(tenant.id());
    List<String> objects = storage.list(ObjectKeys.tenantPrefix(tenant.id()));

    asRoot(() -> tenants.scheduleDeletion(tenant.id(), tenant.name()));
    assertThat(get("/v1/models", key)).isEqualTo(401);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(status(tenant.queuedJob())).isEqualTo("cancelled"));
    assertThatThrownBy(() -> asRoot(() -> tenants.scheduleDeletion(tenant.id(), tenant.name())))
        .hasMessageContaining("already scheduled");

    clock.advance(Duration.ofDays(6));
    asRoot(() -> tenants.undoDeletion(tenant.id()));
    assertThat(accounts.current(tenant.member())).isPresent();
    assertThat(accounts.loadUserByUsername(tenant.username()).isEnabled()).isTrue();
    assertThat(get("/v1/models", key)).isEqualTo(200);

    clock.advance(Duration.ofDays(2));
    removal.removeDue();
    assertNothingRemoved(tenant, before);
    assertThat(storage.list(ObjectKeys.tenantPrefix(tenant.id()))).isEqualTo(objects);
    assertThat(status(tenant.queuedJob()))
        .as("cancelled jobs stay cancelled")
        .isEqualTo("cancelled");
  }

  @Test
  void theRemovalTakesTheTenantsWaitingRunsOutOfQuartz() throws Exception {
    TestRows rows = new TestRows(jdbc);
    SignedInUser doomed = rows.member("quartz-doomed");
    SignedInUser kept = rows.member("quartz-kept");
    UUID doomedRun = laterRun(doomed);
    UUID keptRun = laterRun(kept);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(List.of(waitingTriggers(doomedRun), waitingTriggers(keptRun)))
                    .as("each run tried once and waits an hour for its next try")
                    .containsOnly(1));
    String name =
        jdbc.sql("select name from tenant where id = ?")
            .param(doomed.tenantId())
            .query(String.class)
            .single();

    asRoot(() -> tenants.scheduleDeletion(doomed.tenantId(), name));
    clock.advance(Duration.ofDays(7).plusMinutes(1));
    removal.removeDue();

    assertThat(quartzRows(doomedRun)).as("rows in qrtz_* naming the removed tenant's run").isZero();
    assertThat(quartzRows(keptRun)).as("the other tenant's run still waits").isPositive();
    TestRows.as(kept, () -> runner.unschedule(ComeBackLater.KIND, keptRun));
  }

  @Test
  void onlyPlatformAdminsDeleteTenants() {
    TenantData.Tenant tenant = data.create("guarded");
    SignedInUser admin =
        new SignedInUser(
            UUID.randomUUID(), tenant.id(), "admin", "Admin", Role.TENANT_ADMIN, "x", true);
    assertThatThrownBy(
            () -> TestRows.as(admin, () -> tenants.scheduleDeletion(tenant.id(), tenant.name())))
        .isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
    assertThat(tenants.isActive(tenant.id())).isTrue();
  }

  @Test
  void overTheApiAPlatformAdminDeletesAndRestoresAndRefusalsAreProblems() throws Exception {
    TestRows rows = new TestRows(jdbc);
    UUID tenant = rows.tenant("api-deleted");
    String name =
        jdbc.sql("select name from tenant where id = ?").param(tenant).query(String.class).single();
    UUID user = rows.user(tenant, "api-member-" + tenant);
    String member = TestApi.key(keys, user, tenant, Role.MEMBER);
    UUID admin = UUID.randomUUID();
    jdbc.sql(
            "insert into app_user (id, username, display_name, password_hash, role, created_at)"
                + " values (?, ?, 'Root', 'x', 'PLATFORM_ADMIN', now())")
        .params(admin, "api-root-" + admin)
        .update();
    String root = TestApi.key(keys, admin, null, Role.PLATFORM_ADMIN);
    TestApi api = new TestApi(port);
    String path = "/api/tenants/" + tenant;
    String confirmed = path + "?confirm=" + URLEncoder.encode(name, StandardCharsets.UTF_8);

    assertProblem(api.call("DELETE", confirmed, member, null), 403, "Only platform admins");
    assertProblem(
        api.call("DELETE", "/api/tenants/" + UUID.randomUUID() + "?confirm=x", root, null),
        404,
        "No such tenant");
    assertProblem(api.call("DELETE", path, root, null), 400, "?confirm=");
    assertProblem(api.call("DELETE", path + "?confirm=other", root, null), 400, name);
    assertProblem(api.call("POST", path + "/restore", root, null), 409, "not scheduled");
    assertThat(get("/v1/models", member)).isEqualTo(200);

    HttpResponse<String> deleted = api.call("DELETE", confirmed, root, null);
    assertThat(deleted.statusCode()).isEqualTo(202);
    JsonNode scheduled = JSON.readTree(deleted.body());
    assertThat(scheduled.path("status").asString()).isEqualTo("deletion_scheduled");
    assertThat(Instant.parse(scheduled.path("deletionDueAt").asString()))
        .isCloseTo(
            jdbc.sql("select deletion_due_at from tenant where id = ?")
                .param(tenant)
                .query(java.sql.Timestamp.class)
                .single()
                .toInstant(),
            within(1, ChronoUnit.MILLIS));
    assertThat(JSON.readTree(api.call("GET", path, root, null).body()).path("status").asString())
        .isEqualTo("deletion_scheduled");
    assertThat(get("/v1/models", member)).as("the tenant's keys stop at once").isEqualTo(401);
    assertProblem(api.call("DELETE", confirmed, root, null), 409, "already scheduled");

    HttpResponse<String> restored = api.call("POST", path + "/restore", root, null);
    assertThat(restored.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(restored.body()).path("status").asString()).isEqualTo("active");
    assertThat(JSON.readTree(restored.body()).path("deletionDueAt").isNull()).isTrue();
    assertThat(get("/v1/models", member)).isEqualTo(200);

    assertThat(api.call("DELETE", confirmed, root, null).statusCode()).isEqualTo(202);
    clock.advance(Duration.ofDays(7).plusMinutes(1));
    assertProblem(api.call("POST", path + "/restore", root, null), 409, "removal is under way");
    removal.removeDue();
    assertProblem(api.call("GET", path, root, null), 404, "No such tenant");
    assertThat(
            jdbc.sql(
                    "select action || ' ' || actor_name from audit_record where tenant_id = ?"
                        + " order by id")
                .param(tenant)
                .query(String.class)
                .list())
        .as("audited as the page's actions are")
        .containsSubsequence(
            "TENANT_DELETION_SCHEDULED api-root-" + admin,
            "TENANT_DELETION_UNDONE api-root-" + admin,
            "TENANT_DELETION_SCHEDULED api-root-" + admin,
            "TENANT_DELETED system");
  }

  /** A run of {@link ComeBackLater}, queued as its member would. */
  private UUID laterRun(SignedInUser member) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into generation_job (id, tenant_id, dataset_name, document_kind, fields,"
                + " row_count, seed, noise, status, created_by, created_by_username, created_at)"
                + " values (?, ?, 'later', 'RECEIPT', '[]', 1, 1, 0, 'QUEUED', ?, ?, now())")
        .params(id, member.tenantId(), member.userId(), member.username())
        .update();
    TestRows.as(
        member,
        () -> {
          runner.submit(ComeBackLater.KIND, id);
          return null;
        });
    return id;
  }

  private int waitingTriggers(UUID run) {
    return jdbc.sql("select count(*) from qrtz_triggers where job_name = ? and next_fire_time > ?")
        .params(run.toString(), System.currentTimeMillis() + Duration.ofMinutes(30).toMillis())
        .query(Integer.class)
        .single();
  }

  private int quartzRows(UUID run) {
    String name = run.toString();
    return jdbc.sql(
            """
            select (select count(*) from qrtz_job_details where job_name = :run)
                 + (select count(*) from qrtz_triggers where job_name = :run)
                 + (select count(*) from qrtz_simple_triggers where trigger_name like :prefix)
                 + (select count(*) from qrtz_fired_triggers where job_name = :run)
            """)
        .param("run", name)
        .param("prefix", name + "%")
        .query(Integer.class)
        .single();
  }

  private static void assertProblem(HttpResponse<String> answer, int status, String detail) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(JSON.readTree(answer.body()).path("detail").asString()).contains(detail);
  }

  /**
   * Every row the tenant had is still there; the moved clock may have added some (node liveness
   * logs that a running job's lease expired).
   */
  private void assertNothingRemoved(TenantData.Tenant tenant, Map<String, Integer> before) {
    assertThat(data.rowCounts(tenant.id()))
        .allSatisfy(
            (table, rows) -> assertThat(rows).as(table).isGreaterThanOrEqualTo(before.get(table)));
  }

  private String keyOf(TenantData.Tenant tenant) {
    SignedInUser member =
        new SignedInUser(
            tenant.member(),
            tenant.id(),
            tenant.username(),
            tenant.username(),
            Role.MEMBER,
            "x",
            true);
    return TestRows.as(member, () -> keys.issue(tenant.member(), "deletion test", null).text());
  }

  private int get(String path, String key) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .header("Authorization", "Bearer " + key)
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }

  private String status(UUID job) {
    return jdbc.sql("select status from fine_tune_job where id = ?")
        .param(job)
        .query(String.class)
        .single();
  }

  private boolean cancelRequested(UUID job) {
    return jdbc.sql("select cancel_requested from fine_tune_job where id = ?")
        .param(job)
        .query(Boolean.class)
        .single();
  }

  private static <T> T asRoot(java.util.function.Supplier<T> work) {
    return TestRows.as(ROOT, work);
  }

  /**
   * Background work whose every run asks to be tried again in an hour, as a backing-off run does.
   */
  static class ComeBackLater implements TenantWork<GenerationJob> {
    static final WorkKind<GenerationJob> KIND = WorkKind.of("come-back-later", GenerationJob.class);

    @Override
    public WorkKind<GenerationJob> kind() {
      return KIND;
    }

    @Override
    public void run(WorkContext<GenerationJob> work) throws TryLater {
      throw new TryLater("not yet", Duration.ofHours(1));
    }
  }
}
