package dev.tuneforge.app.deletion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import dev.tuneforge.app.tenancy.TenantService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * A platform admin deletes a tenant: at once its members and keys are refused and its jobs
 * cancelled; after the grace period nothing of it is left in any table (found from the database's
 * catalogue) or in the bucket, and another tenant's data is untouched. Undone in time, everything
 * works again and nothing is removed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class TenantDeletionIT {
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
}
