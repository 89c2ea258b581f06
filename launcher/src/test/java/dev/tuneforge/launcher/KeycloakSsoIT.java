package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.principal;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ApplicationContext;

/**
 * Single sign-on against a real Keycloak (the distribution archive from the Maven repository, with
 * the demo realm the launcher imports), one for the whole class: a member signs in on Keycloak's
 * own page, lands in the Demo tenant with their role and sees only its data, and signs out of both;
 * a forged back-channel logout is refused while Keycloak's own one ends the app's session; a tenant
 * admin removed from the group loses access on the next request; with Keycloak stopped the sign-in
 * page says so and the local platform admin still signs in. Skipped, with a message, only when the
 * archive is absent and {@code CI} is not set.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakSsoIT {
  private static final Map<String, String> SECRETS =
      Map.of(
          "client",
          "it-client-secret-7",
          "console",
          "it-console-password-7",
          KeycloakServer.ADMIN_USER,
          "ada-password-for-tests",
          KeycloakServer.MEMBER_USER,
          "max-password-for-tests");

  private static @Nullable Path data;
  private static @Nullable KeycloakServer keycloak;
  private static @Nullable LocalPlatform platform;
  private static @Nullable Playwright playwright;
  private static @Nullable Browser browser;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    Assumptions.assumeTrue(
        ci || Files.isRegularFile(KeycloakServer.archive()),
        "No Keycloak archive at "
            + KeycloakServer.archive()
            + " (./run.sh --keycloak fetches it); under CI=true this test runs and fails instead");
    data = Files.createTempDirectory("tuneforge-KeycloakSsoIT-");
    int appPort = Ports.resolve(0);
    int keycloakPort = Ports.resolve(0);
    while (Ports.answers(keycloakPort + 1) || keycloakPort == appPort - 1) {
      keycloakPort = Ports.resolve(0);
    }
    // Kept between runs in the build folder: Keycloak's own build is cached there.
    keycloak =
        KeycloakServer.start(
            Path.of("target/keycloak").toAbsolutePath(),
            data.resolve("logs"),
            keycloakPort,
            "http://127.0.0.1:" + appPort,
            SECRETS);
    Map<String, String> properties = new HashMap<>(keycloak.appProperties());
    properties.put("tuneforge.identity.oidc.recheck-interval", "0s");
    platform =
        LocalPlatform.start(
            LocalPlatform.Settings.forTests(data.resolve("platform"))
                .withStartNode(false)
                .withHttpPort(appPort)
                .withAppProperties(properties));
    platform.context().getBean(TenantService.class).ensureSsoTenant("Demo", KeycloakServer.GROUP);
    playwright = BrowserSupport.playwright();
    browser = BrowserSupport.chromium(playwright);
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (keycloak != null) {
      keycloak.close();
    }
    PlatformTestSupport.closeAndClean(platform, data, true);
  }

  @Test
  @Order(1)
  void aMemberSignsInThroughKeycloakSeesOnlyTheirTenantAndSignsOutOfBoth() throws IOException {
    ApplicationContext app = platform.context();
    SignedInUser admin = principal(app, platform.adminUsername());
    Tenant other = as(admin, () -> app.getBean(TenantService.class).create("Other Co"));
    as(
        admin,
        () ->
            app.getBean(AccountService.class)
                .create(other.getId(), "olga", "Olga", "olga-password-1", Role.MEMBER));
    upload(principal(app, "olga"), "other-secret");

    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      signInWithKeycloak(page, KeycloakServer.MEMBER_USER);

      SignedInUser max = principal(app, KeycloakServer.MEMBER_USER);
      Tenant demo = app.getBean(TenantService.class).find(max.tenantId()).orElseThrow();
      assertThat(demo.getName()).isEqualTo("Demo");
      assertThat(max.role()).isEqualTo(Role.MEMBER);
      upload(max, "demo-receipts");
      page.navigate(platform.baseUrl() + "/datasets");
      assertThat(page.locator("body")).containsText("demo-receipts", contains());
      assertThat(page.locator("body")).not().containsText("other-secret");
      page.navigate(platform.baseUrl() + "/admin/users");
      assertThat(page.locator("#users-grid")).hasCount(0);

      page.getByText("Sign out").click();
      assertThat(page.locator("vaadin-login-form")).isVisible(slow());
      // Signed out of Keycloak too: its login form asks again rather than signing straight in.
      page.locator("#sso-sign-in").click();
      assertThat(page.locator("#kc-login")).isVisible(slow());
    }
  }

  @Test
  @Order(2)
  void aForgedLogoutTokenIsRefusedAndKeycloaksOwnLogoutEndsTheSession() throws Exception {
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      signInWithKeycloak(page, KeycloakServer.MEMBER_USER);

      String forged =
          "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwOi8vZXZpbCIsInN1YiI6Im1heCJ9.c2lnbmF0dXJl";
      HttpResponse<String> refused =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(platform.baseUrl() + "/logout/connect/back-channel/sso"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + forged))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(400);
      page.navigate(platform.baseUrl() + "/datasets");
      assertThat(page.locator("#signed-in-user")).hasText(KeycloakServer.MEMBER_USER, has());

      String userId = keycloakUserId(KeycloakServer.MEMBER_USER);
      HttpResponse<String> logout =
          admin("POST", "/users/" + userId + "/logout", HttpRequest.BodyPublishers.noBody());
      assertThat(logout.statusCode()).isEqualTo(204);
      page.navigate(platform.baseUrl() + "/datasets");
      assertThat(page.locator("vaadin-login-form")).isVisible(slow());
    }
  }

  @Test
  @Order(3)
  void aTenantAdminRemovedFromTheGroupLosesAccessOnTheNextRequest() throws Exception {
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      signInWithKeycloak(page, KeycloakServer.ADMIN_USER);
      assertThat(principal(platform.context(), KeycloakServer.ADMIN_USER).role())
          .isEqualTo(Role.TENANT_ADMIN);
      page.navigate(platform.baseUrl() + "/admin/users");
      assertThat(page.locator("#users-grid")).containsText(KeycloakServer.MEMBER_USER, contains());

      String userId = keycloakUserId(KeycloakServer.ADMIN_USER);
      String groups = admin("GET", "/groups?search=" + KeycloakServer.GROUP, null).body();
      String groupId = field(groups, "id");
      assertThat(
              admin(
                      "DELETE",
                      "/users/" + userId + "/groups/" + groupId,
                      HttpRequest.BodyPublishers.noBody())
                  .statusCode())
          .isEqualTo(204);

      page.navigate(platform.baseUrl() + "/admin/users");
      assertThat(page.locator("vaadin-login-form")).isVisible(slow());
      assertThat(page.locator("#users-grid")).hasCount(0);

      // Her Keycloak session still stands, so Keycloak sends her straight back: refused, with why.
      page.locator("#sso-sign-in").click();
      assertThat(page.locator("#sso-refused")).containsText("in no group", contains());
    }
  }

  @Test
  @Order(4)
  void withKeycloakStoppedTheSignInPageSaysSoAndTheLocalAdminStillSignsIn() {
    keycloak.close();
    keycloak = null;
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      page.navigate(platform.baseUrl() + "/login");
      // The sign-in page asks the provider at most every few seconds, and the previous test's
      // pages asked it just before it stopped: a reload or two may pass before the page knows.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (page.locator("#sso-unavailable").count() == 0 && System.nanoTime() < deadline) {
        page.waitForTimeout(1_000);
        page.reload();
      }
      assertThat(page.locator("#sso-unavailable")).containsText("does not answer", contains());
      assertThat(page.locator("#sso-sign-in")).hasCount(0);
      BrowserSupport.signIn(
          page, platform.baseUrl(), platform.adminUsername(), platform.adminPassword());
    }
  }

  private static void signInWithKeycloak(Page page, String username) {
    page.navigate(platform.baseUrl() + "/login");
    page.locator("#sso-sign-in").click();
    // Keycloak's own login page.
    page.locator("#username").fill(username);
    page.locator("#password").fill(SECRETS.get(username));
    page.locator("#kc-login").click();
    assertThat(page.locator("#signed-in-user")).hasText(username, has());
  }

  private static void upload(SignedInUser user, String name) throws IOException {
    Path file = data.resolve(name + ".jsonl");
    Files.writeString(
        file,
        """
        {"messages":[{"role":"user","content":"Total?"},{"role":"assistant","content":"{\\"total\\":\\"1\\"}"}]}
        """);
    as(
        user,
        () -> platform.context().getBean(DatasetService.class).upload(name, name + ".jsonl", file));
  }

  private static String keycloakUserId(String username) throws Exception {
    return field(admin("GET", "/users?exact=true&username=" + username, null).body(), "id");
  }

  /** Keycloak's admin REST API for the demo realm, as the console admin the test set. */
  private static HttpResponse<String> admin(
      String method, String path, HttpRequest.@Nullable BodyPublisher body) throws Exception {
    String form =
        "grant_type=password&client_id=admin-cli&username=kcadmin&password="
            + URLEncoder.encode(SECRETS.get("console"), StandardCharsets.UTF_8);
    String token =
        field(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                keycloak.baseUrl()
                                    + "/realms/master/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body(),
            "access_token");
    return http.send(
        HttpRequest.newBuilder(
                URI.create(keycloak.baseUrl() + "/admin/realms/" + KeycloakServer.REALM + path))
            .header("Authorization", "Bearer " + token)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The first string value of {@code name} in a JSON text. */
  private static String field(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    if (!matcher.find()) {
      throw new AssertionError("no " + name + " in " + json);
    }
    return matcher.group(1);
  }

  private static LocatorAssertions.IsVisibleOptions slow() {
    return new LocatorAssertions.IsVisibleOptions().setTimeout(30_000);
  }

  private static LocatorAssertions.ContainsTextOptions contains() {
    return new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
  }

  private static LocatorAssertions.HasTextOptions has() {
    return new LocatorAssertions.HasTextOptions().setTimeout(30_000);
  }
}
