package dev.tuneforge.app.audit;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.FormSignIn;
import dev.tuneforge.app.TestApi;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.AppUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.account.UserLifecycleService;
import dev.tuneforge.app.apikey.ApiKeys;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.tenancy.TenantService;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log against real PostgreSQL and S3: sign-ins through the form and actions through the
 * real services leave records with who, tenant, target and client address; a tenant admin reads
 * their tenant's through {@code /api/audit} and the page's CSV export, the other tenant's admin
 * none of them, a member nothing; and the database refuses to change or remove a record.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class AuditIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PASSWORD = "a-long-enough-password-1";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired PasswordEncoder passwordEncoder;
  @Autowired AccountService accounts;
  @Autowired UserLifecycleService lifecycle;
  @Autowired ApiKeys keys;
  @Autowired DatasetService datasets;
  @Autowired TenantService tenants;
  @Autowired TransactionTemplate transactions;
  @Autowired AuditRetention retention;
  @TempDir Path dir;

  @Test
  void actionsLeaveRecordsThatOnlyTheirTenantsAdminsRead() throws Exception {
    TestRows rows = new TestRows(jdbc);
    SignedInUser ada = admin(rows.tenant("audited"), "ada");
    SignedInUser bob = admin(rows.tenant("other"), "bob");
    SignedInUser root = platformAdmin();

    FormSignIn browser = new FormSignIn(port, "127.0.0.21");
    assertThat(browser.signIn(ada.username(), "not-the-password")).endsWith("/login?error");
    assertThat(browser.signIn(ada.username(), PASSWORD)).as("signed in").endsWith("/");

    UUID keyId = as(ada, () -> keys.issue(ada.userId(), "ci-key", null)).key().id();
    as(ada, () -> keys.revoke(keyId));
    AppUser max =
        as(
            ada,
            () -> accounts.create(ada.tenantId(), "max-" + suffix(), "", PASSWORD, Role.MEMBER));
    as(ada, () -> lifecycle.changeRole(max.getId(), Role.TENANT_ADMIN));
    as(ada, () -> lifecycle.setEnabled(max.getId(), false));
    Path file = Files.writeString(dir.resolve("chats.jsonl"), chats(20));
    DatasetSummary uploaded = as(ada, () -> datasets.upload("invoices", "chats.jsonl", file));
    as(
        ada,
        () -> {
          datasets.deleteVersion(uploaded.versionId());
          return null;
        });
    as(root, () -> tenants.setMonthlyBudget(ada.tenantId(), new BigDecimal("250")));

    String adaKey = key(ada);
    JsonNode seen = JSON.readTree(api("/api/audit?limit=1000", adaKey).body());
    List<String> actions = new ArrayList<>();
    seen.get("data").forEach(record -> actions.add(record.get("action").asString()));
    assertThat(actions)
        .as("newest first")
        .containsSubsequence(
            "BUDGET_CHANGED",
            "DATASET_DELETED",
            "DATASET_UPLOADED",
            "USER_DISABLED",
            "ROLE_CHANGED",
            "USER_CREATED",
            "API_KEY_REVOKED",
            "API_KEY_ISSUED",
            "SIGN_IN",
            "SIGN_IN_FAILED");
    assertThat(seen.get("data"))
        .allSatisfy(
            record -> assertThat(record.get("tenantId").asString()).isEqualTo("" + ada.tenantId()));
    JsonNode signIn = record(seen, "SIGN_IN");
    assertThat(signIn.get("user").asString()).isEqualTo(ada.username());
    assertThat(signIn.get("clientAddress").asString()).isEqualTo("127.0.0.21");
    assertThat(record(seen, "SIGN_IN_FAILED").get("detail").asString())
        .isEqualTo("wrong user name or password");
    assertThat(record(seen, "DATASET_UPLOADED").get("target").asString())
        .isEqualTo("dataset invoices v1");
    assertThat(record(seen, "ROLE_CHANGED").get("detail").asString())
        .isEqualTo("MEMBER → TENANT_ADMIN");
    assertThat(record(seen, "BUDGET_CHANGED").get("user").asString()).isEqualTo(root.username());

    JsonNode filtered =
        JSON.readTree(api("/api/audit?action=sign_in_failed&user=ADA", adaKey).body());
    assertThat(filtered.get("total").asInt()).isEqualTo(1);

    HttpResponse<String> csv = browser.get("/audit/export.csv?user=" + ada.username());
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    List<String> lines = csv.body().lines().toList();
    assertThat(lines.getFirst()).isEqualTo(AuditCsv.HEADER);
    assertThat(lines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith(signIn.get("time").asString().substring(0, 10))
                    .contains(
                        ",audited-" + ada.tenantId() + "," + ada.tenantId() + "," + ada.username(),
                        ",SIGN_IN,",
                        ",password,127.0.0.21"));
    assertThat(lines).anySatisfy(line -> assertThat(line).contains(",DATASET_UPLOADED,"));

    JsonNode otherAdmin = JSON.readTree(api("/api/audit?limit=1000", key(bob)).body());
    assertThat(otherAdmin.get("data").toString())
        .as("the other tenant's admin sees none of them")
        .doesNotContain(ada.tenantId().toString())
        .doesNotContain(ada.username());
    FormSignIn bobsBrowser = new FormSignIn(port, "127.0.0.22");
    assertThat(bobsBrowser.signIn(bob.username(), PASSWORD)).endsWith("/");
    assertThat(bobsBrowser.get("/audit/export.csv").body())
        .contains(bob.username())
        .doesNotContain(ada.username());

    as(root, () -> lifecycle.setEnabled(max.getId(), true));
    as(root, () -> lifecycle.changeRole(max.getId(), Role.MEMBER));
    String memberKey = TestApi.key(keys, max.getId(), ada.tenantId(), Role.MEMBER);
    assertThat(api("/api/audit", memberKey).statusCode()).as("members read nothing").isEqualTo(403);
  }

  @Test
  void theDatabaseRefusesToChangeOrRemoveRecords() {
    long before = count();
    jdbc.sql(
            "INSERT INTO audit_record (occurred_at, actor_name, action, target, detail,"
                + " client_address) VALUES (now(), 'x', 'SIGN_IN', 'x', '', '')")
        .update();
    for (String change :
        List.of(
            "UPDATE audit_record SET detail = 'forged'",
            "DELETE FROM audit_record",
            "TRUNCATE audit_record")) {
      assertThatThrownBy(() -> jdbc.sql(change).update())
          .as(change)
          .isInstanceOf(DataAccessException.class)
          .rootCause()
          .hasMessageContaining("audit_record is append-only");
    }
    assertThat(count()).isEqualTo(before + 1);

    // A role that is not the owner, as production runs the app, has no such privilege at all.
    String role = "audit_app_" + suffix();
    jdbc.sql("CREATE ROLE " + role + " NOLOGIN").update();
    jdbc.sql("GRANT SELECT, INSERT ON audit_record TO " + role).update();
    transactions.executeWithoutResult(
        status -> {
          jdbc.sql("SET LOCAL ROLE " + role).update();
          jdbc.sql(
                  "INSERT INTO audit_record (occurred_at, actor_name, action, target, detail,"
                      + " client_address) VALUES (now(), 'y', 'SIGN_IN', 'y', '', '')")
              .update();
          status.setRollbackOnly();
        });
    for (String change :
        List.of("UPDATE audit_record SET detail = 'forged'", "DELETE FROM audit_record")) {
      assertThatThrownBy(
              () ->
                  transactions.executeWithoutResult(
                      status -> {
                        jdbc.sql("SET LOCAL ROLE " + role).update();
                        jdbc.sql(change).update();
                      }))
          .as(change)
          .rootCause()
          .hasMessageContaining("permission denied for table audit_record");
    }
  }

  @Test
  void recordsOlderThanTheRetentionGoAndRecentOnesCannotBeRemoved() {
    String run = suffix();
    for (int days : List.of(401, 100, 1)) {
      jdbc.sql(
              "INSERT INTO audit_record (occurred_at, actor_name, action, target, detail,"
                  + " client_address) VALUES (now() - make_interval(days => ?), ?, 'SIGN_IN',"
                  + " 'x', '', '')")
          .params(days, "aged-" + days + "-" + run)
          .update();
    }

    assertThat(retention.removeExpired()).isPositive();
    assertThat(aged(run)).as("past the default 400 days").containsExactly(100, 1);

    // The app's role, not the owner, as production runs it: only the function removes records,
    // only those past the retention it names, and never one younger than 90 days.
    String role = "audit_retention_app_" + suffix();
    jdbc.sql("CREATE ROLE " + role + " NOLOGIN").update();
    jdbc.sql("GRANT SELECT, INSERT ON audit_record TO " + role).update();
    assertThatThrownBy(() -> asRole(role, "SELECT delete_expired_audit_records(30)"))
        .rootCause()
        .hasMessageContaining("kept at least 90 days");
    assertThatThrownBy(
            () ->
                asRole(
                    role,
                    "SELECT set_config('tuneforge.audit_expiry_cutoff', now()::text, true)",
                    "DELETE FROM audit_record WHERE actor_name LIKE 'aged-%'"))
        .rootCause()
        .hasMessageContaining("permission denied for table audit_record");
    assertThatThrownBy(
            () ->
                transactions.executeWithoutResult(
                    status -> {
                      jdbc.sql("SELECT set_config('tuneforge.audit_expiry_cutoff', ?, true)")
                          .param(java.time.OffsetDateTime.now().toString())
                          .query(String.class)
                          .single();
                      jdbc.sql("DELETE FROM audit_record WHERE actor_name = ?")
                          .param("aged-1-" + run)
                          .update();
                    }))
        .as("not even the owner deletes a recent record by setting the cut-off")
        .rootCause()
        .hasMessageContaining("audit_record is append-only");
    assertThat(aged(run)).containsExactly(100, 1);

    asRole(role, "SELECT delete_expired_audit_records(90)");
    assertThat(aged(run)).as("the app's role removes through the function").containsExactly(1);
  }

  private void asRole(String role, String... statements) {
    transactions.executeWithoutResult(
        status -> {
          jdbc.sql("SET LOCAL ROLE " + role).update();
          for (String sql : statements) {
            if (sql.startsWith("SELECT")) {
              jdbc.sql(sql).query().listOfRows();
            } else {
              jdbc.sql(sql).update();
            }
          }
        });
  }

  /** The ages in days of this test's records still there, oldest first. */
  private List<Integer> aged(String run) {
    return jdbc.sql(
            "SELECT split_part(actor_name, '-', 2)::int FROM audit_record"
                + " WHERE actor_name LIKE 'aged-%-' || ? ORDER BY occurred_at")
        .param(run)
        .query(Integer.class)
        .list();
  }

  private long count() {
    return jdbc.sql("SELECT count(*) FROM audit_record").query(Long.class).single();
  }

  private static JsonNode record(JsonNode page, String action) {
    for (JsonNode record : page.get("data")) {
      if (record.get("action").asString().equals(action)) {
        return record;
      }
    }
    throw new AssertionError("no " + action + " in " + page);
  }

  private HttpResponse<String> api(String path, String key) throws Exception {
    return new TestApi(port).call("GET", path, key, null);
  }

  private String key(SignedInUser user) {
    return TestApi.key(keys, user.userId(), user.tenantId(), user.role());
  }

  private SignedInUser admin(UUID tenant, String name) {
    return user(tenant, name + "-" + suffix(), Role.TENANT_ADMIN);
  }

  private SignedInUser platformAdmin() {
    return user(null, "root-" + suffix(), Role.PLATFORM_ADMIN);
  }

  private SignedInUser user(@Nullable UUID tenant, String username, Role role) {
    UUID id = UUID.randomUUID();
    String hash = passwordEncoder.encode(PASSWORD);
    jdbc.sql(
            "insert into app_user (id, tenant_id, username, display_name, password_hash, role,"
                + " created_at) values (?, ?, ?, ?, ?, ?, now())")
        .params(id, tenant, username, username, hash, role.name())
        .update();
    return new SignedInUser(id, tenant, username, username, role, hash, true);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static String chats(int count) {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < count; i++) {
      rows.append("{\"messages\":[{\"role\":\"user\",\"content\":\"Total of receipt ")
          .append(i)
          .append("?\"},{\"role\":\"assistant\",\"content\":\"{\\\"total\\\": \\\"")
          .append(i)
          .append(".00\\\"}\"}]}\n");
    }
    return rows.toString();
  }
}
