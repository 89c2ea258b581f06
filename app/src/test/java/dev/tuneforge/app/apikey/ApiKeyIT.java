package dev.tuneforge.app.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestApi;
import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * API keys over HTTP against real PostgreSQL: a key signs its owner in; a wrong, revoked or expired
 * key, no key, or a browser's session cookie get 401 in each API's error shape; a key over its
 * limit gets 429 with Retry-After; a tenant admin's key finds nothing of another tenant; the
 * bootstrap key provisions a tenant, a user and that user's working key.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tuneforge.bootstrap.admin-api-key=" + ApiKeyIT.BOOTSTRAP_KEY,
      "tuneforge.bootstrap.admin-username=" + ApiKeyIT.ROOT,
      "tuneforge.api.rate-limit.burst=20",
      "tuneforge.api.rate-limit.requests-per-minute=60"
    })
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class ApiKeyIT {
  static final String BOOTSTRAP_KEY = "tf_BootstrapKeyForTheApiKeyIntegrationTest0123456789";
  static final String ROOT = "api-root";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired ApiKeys keys;
  @Autowired ApiKeyBootstrap bootstrap;
  @Autowired TestClock clock;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void aKeySignsItsOwnerInAndRecordsItsUse() throws Exception {
    SignedInUser member = new TestRows(jdbc).member("keys");
    ApiKeys.IssuedKey issued = TestRows.as(member, () -> keys.issue(member.userId(), "ci", null));
    assertThat(issued.text()).matches("tf_[0-9A-Za-z]{43}");
    assertThat(
            jdbc.sql("select count(*) from api_key where secret_hash like '%' || ? || '%'")
                .param(issued.text().substring(3))
                .query(Integer.class)
                .single())
        .as("only the hash is stored")
        .isZero();

    HttpResponse<String> mine = call("GET", "/api/api-keys", issued.text(), null);
    assertThat(mine.statusCode()).isEqualTo(200);
    JsonNode listed = JSON.readTree(mine.body()).get(0);
    assertThat(listed.path("name").asString()).isEqualTo("ci");
    assertThat(listed.path("prefix").asString()).isEqualTo(issued.text().substring(0, 11));
    assertThat(listed.path("lastUsedAt").isNull()).as("last used: this request").isFalse();
    assertThat(mine.body()).doesNotContain(issued.text());
    assertThat(mine.headers().firstValue("Set-Cookie")).as("no session").isEmpty();

    HttpResponse<String> unknown = call("GET", "/v1/no-such-route", issued.text(), null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).path("error").path("message").asString())
        .isEqualTo("Invalid URL (GET /v1/no-such-route)");
    assertThat(unknown.headers().firstValue("Set-Cookie")).as("no session").isEmpty();
  }

  @Test
  void wrongRevokedAndExpiredKeysGet401InEachApisShape() throws Exception {
    assertUnauthorized(call("GET", "/api/api-keys", null, null));
    assertUnauthorized(call("GET", "/api/api-keys", "tf_" + "x".repeat(43), null));
    assertUnauthorized(call("GET", "/v1/models", null, null));
    assertUnauthorized(call("GET", "/v1/models", "sk-not-ours", null));

    SignedInUser member = new TestRows(jdbc).member("revoke");
    String key = TestRows.as(member, () -> keys.issue(member.userId(), "one", null)).text();
    String id =
        JSON.readTree(call("GET", "/api/api-keys", key, null).body()).get(0).path("id").asString();
    assertThat(call("DELETE", "/api/api-keys/" + id, key, null).statusCode()).isEqualTo(204);
    assertUnauthorized(call("GET", "/api/api-keys", key, null));

    String expiring =
        TestRows.as(
                member,
                () -> keys.issue(member.userId(), "day", clock.instant().plus(Duration.ofHours(1))))
            .text();
    assertThat(call("GET", "/api/api-keys", expiring, null).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofHours(2));
    assertUnauthorized(call("GET", "/api/api-keys", expiring, null));
  }

  @Test
  void aBrowserSessionCookieAloneGets401() throws Exception {
    UUID tenant = new TestRows(jdbc).tenant("browser");
    String username = "browser-" + UUID.randomUUID().toString().substring(0, 8);
    insertUser(tenant, username, "TENANT_ADMIN", "{noop}the-password");
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    Matcher csrf = CSRF.matcher(browser.send(request("/login").GET().build(), text()).body());
    assertThat(csrf.find()).isTrue();
    String form = "username=" + username + "&password=the-password&_csrf=" + encode(csrf.group(1));
    HttpResponse<String> signedIn =
        browser.send(
            request("/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            text());
    assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/");

    assertUnauthorized(browser.send(request("/api/api-keys").GET().build(), text()));
    assertUnauthorized(
        browser.send(request("/api/tenants/" + tenant + "/users").GET().build(), text()));
    assertUnauthorized(browser.send(request("/v1/models").GET().build(), text()));
    assertUnauthorized(
        browser.send(
            request("/api/api-keys")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"stolen\"}"))
                .build(),
            text()));
    assertThat(
            jdbc.sql("select count(*) from api_key where name = 'stolen'")
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void aTenantAdminsKeyFindsNothingOfAnotherTenant() throws Exception {
    TestRows rows = new TestRows(jdbc);
    UUID tenantA = rows.tenant("a");
    UUID tenantB = rows.tenant("b");
    String adminA = key(insertUser(tenantA, "admin-a-" + suffix(), "TENANT_ADMIN", "x"), tenantA);
    String userB = "user-b-" + suffix();
    UUID userBId = insertUser(tenantB, userB, "MEMBER", "x");
    String keyB = key(userBId, tenantB);
    String keyBId =
        JSON.readTree(call("GET", "/api/api-keys", keyB, null).body()).get(0).path("id").asString();

    String b = "/api/tenants/" + tenantB;
    String bUser = b + "/users/" + userB;
    assertNotFound(call("GET", b, adminA, null));
    assertNotFound(call("GET", b + "/users", adminA, null));
    assertNotFound(
        call(
            "POST",
            b + "/users",
            adminA,
            Map.of(
                "username", "intruder-" + suffix(), "role", "MEMBER", "password", "long-enough")));
    assertNotFound(call("GET", bUser + "/api-keys", adminA, null));
    assertNotFound(call("POST", bUser + "/api-keys", adminA, Map.of("name", "theirs")));
    assertNotFound(call("DELETE", bUser + "/api-keys/" + keyBId, adminA, null));
    assertNotFound(
        call(
            "DELETE",
            "/api/tenants/" + tenantA + "/users/" + userB + "/api-keys/" + keyBId,
            adminA,
            null));
    assertNotFound(call("DELETE", "/api/api-keys/" + keyBId, adminA, null));
    assertThat(call("GET", "/api/tenants", adminA, null).statusCode()).isEqualTo(403);
    assertThat(call("POST", "/api/tenants", adminA, Map.of("name", "mine")).statusCode())
        .isEqualTo(403);
    assertThat(call("GET", "/api/tenants/" + tenantA + "/users", adminA, null).body())
        .doesNotContain(userB);
    assertThat(call("GET", "/api/api-keys", keyB, null).statusCode())
        .as("B's key still works")
        .isEqualTo(200);

    UUID bVersion = rows.datasetVersion(tenantB, userBId, 3, 100);
    assertThat(call("GET", "/api/dataset-versions/" + bVersion, keyB, null).statusCode())
        .isEqualTo(200);
    assertNotFound(call("GET", "/api/dataset-versions/" + bVersion, adminA, null));
    assertNotFound(
        call(
            "GET",
            "/api/dataset-versions/" + bVersion + "/token-lengths?model=" + UUID.randomUUID(),
            adminA,
            null));
    assertThat(call("GET", "/api/datasets", adminA, null).body())
        .doesNotContain(bVersion.toString());
    assertThat(call("GET", "/api/datasets", keyB, null).body()).contains(bVersion.toString());
  }

  @Test
  void aKeyOverItsLimitGets429WithRetryAfter() throws Exception {
    SignedInUser member = new TestRows(jdbc).member("limit");
    String key = TestRows.as(member, () -> keys.issue(member.userId(), "busy", null)).text();
    List<HttpResponse<String>> answers = new ArrayList<>();
    while (answers.size() < 60 && (answers.isEmpty() || answers.getLast().statusCode() != 429)) {
      answers.add(call("GET", answers.size() % 2 == 0 ? "/api/api-keys" : "/v1/models", key, null));
    }
    assertThat(answers.size()).as("the burst of 20 passes").isGreaterThan(20);
    HttpResponse<String> limited = answers.getLast();
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1, 2);
    JsonNode body = JSON.readTree(limited.body());
    String code =
        body.has("error")
            ? body.path("error").path("code").asString()
            : body.path("code").asString();
    assertThat(code).isEqualTo("rate_limit_exceeded");

    SignedInUser other = new TestRows(jdbc).member("limit-other");
    String otherKey = TestRows.as(other, () -> keys.issue(other.userId(), "quiet", null)).text();
    assertThat(call("GET", "/api/api-keys", otherKey, null).statusCode())
        .as("limits are per key")
        .isEqualTo(200);
  }

  @Test
  void theBootstrapKeyProvisionsATenantAUserAndTheirKey() throws Exception {
    if (jdbc.sql("select count(*) from app_user where username = ?")
            .param(ROOT)
            .query(Integer.class)
            .single()
        == 0) {
      insertUser(null, ROOT, "PLATFORM_ADMIN", "x");
    }
    bootstrap.seed();
    bootstrap.seed();
    assertThat(
            jdbc.sql("select count(*) from api_key where name = 'bootstrap'")
                .query(Integer.class)
                .single())
        .as("a restart gives no second key")
        .isEqualTo(1);

    String tenantName = "acme-" + suffix();
    HttpResponse<String> tenant =
        call("POST", "/api/tenants", BOOTSTRAP_KEY, Map.of("name", tenantName));
    assertThat(tenant.statusCode()).as(tenant.body()).isEqualTo(201);
    assertThat(JSON.readTree(tenant.body()).path("name").asString()).isEqualTo(tenantName);

    String username = "ops-" + suffix();
    HttpResponse<String> user =
        call(
            "POST",
            "/api/tenants/" + tenantName + "/users",
            BOOTSTRAP_KEY,
            Map.of("username", username, "role", "tenant_admin", "password", "a-long-password"));
    assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
    assertThat(JSON.readTree(user.body()).path("role").asString()).isEqualTo("TENANT_ADMIN");

    HttpResponse<String> issued =
        call(
            "POST",
            "/api/tenants/" + tenantName + "/users/" + username + "/api-keys",
            BOOTSTRAP_KEY,
            Map.of("name", "ci"));
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    String key = JSON.readTree(issued.body()).path("key").asString();
    assertThat(key).startsWith("tf_");

    HttpResponse<String> members = call("GET", "/api/tenants/" + tenantName + "/users", key, null);
    assertThat(members.statusCode()).isEqualTo(200);
    assertThat(members.body()).contains(username);
    HttpResponse<String> listed =
        call(
            "GET",
            "/api/tenants/" + tenantName + "/users/" + username + "/api-keys",
            BOOTSTRAP_KEY,
            null);
    assertThat(listed.body()).contains("\"ci\"").doesNotContain(key);

    HttpResponse<String> refused =
        call(
            "POST",
            "/api/tenants/" + tenantName + "/users",
            BOOTSTRAP_KEY,
            Map.of("username", "x", "role", "MEMBER", "password", "long-enough-password"));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(JSON.readTree(refused.body()).path("detail").asString()).contains("username");
  }

  private String key(UUID user, UUID tenant) {
    return TestApi.key(keys, user, tenant, Role.MEMBER);
  }

  private UUID insertUser(
      @Nullable UUID tenant, String username, String role, String passwordHash) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into app_user (id, tenant_id, username, display_name, password_hash, role, created_at)"
                + " values (?, ?, ?, ?, ?, ?, now())")
        .params(id, tenant, username, username, passwordHash, role)
        .update();
    return id;
  }

  private static void assertUnauthorized(HttpResponse<String> answer) throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    assertThat(answer.headers().firstValue("Set-Cookie")).isEmpty();
    JsonNode body = JSON.readTree(answer.body());
    if (answer.uri().getPath().startsWith("/v1/")) {
      JsonNode error = body.path("error");
      assertThat(error.path("code").asString()).isEqualTo("invalid_api_key");
      assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
      assertThat(error.path("message").asString()).isNotBlank();
      assertThat(error.has("param")).isTrue();
    } else {
      assertThat(answer.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/problem+json");
      assertThat(body.path("status").asInt()).isEqualTo(401);
      assertThat(body.path("code").asString()).isEqualTo("invalid_api_key");
      assertThat(body.path("instance").asString()).isEqualTo(answer.uri().getPath());
    }
  }

  private static void assertNotFound(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.uri() + " " + answer.body()).isEqualTo(404);
  }

  private HttpResponse<String> call(
      String method, String path, @Nullable String key, @Nullable Object body) throws Exception {
    return new TestApi(port).call(method, path, key, body);
  }

  private HttpRequest.Builder request(String path) {
    return new TestApi(port).request(path);
  }

  private static HttpResponse.BodyHandler<String> text() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
