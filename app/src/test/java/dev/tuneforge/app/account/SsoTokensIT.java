package dev.tuneforge.app.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.account.StandInOidcProvider.Forgery;
import dev.tuneforge.app.account.StandInOidcProvider.Person;
import dev.tuneforge.app.tenancy.TenantService;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the app believes of the tokens its single sign-on provider sends, against a stand-in
 * provider whose signing key the test holds (the real Keycloak runs in the launcher's {@code
 * KeycloakSsoIT}): an ID token signed by the provider signs the user into the tenant its group
 * names; one signed by another key, for another issuer or client, expired, or carrying another
 * sign-in's nonce signs no one in, provisions no one, and is refused with a reason on the sign-in
 * page and in the audit log. A back-channel logout token ends the session it names at that
 * session's next request and no other; a forged one ends none. The provider's tokens open no API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
class SsoTokensIT {
  private static final StandInOidcProvider provider = new StandInOidcProvider();

  @DynamicPropertySource
  static void singleSignOn(DynamicPropertyRegistry registry) {
    provider.appProperties().forEach((name, value) -> registry.add(name, () -> value));
    // The provider is asked again only at a session's first request: the sessions here end only
    // by what a test sends.
    registry.add("tuneforge.identity.oidc.recheck-interval", () -> "1h");
  }

  @AfterAll
  static void stopProvider() {
    provider.close();
  }

  @LocalServerPort int port;
  @Autowired TenantService tenants;
  @Autowired JdbcClient jdbc;

  @Test
  void aTokenTheProviderSignedSignsEachUserIntoTheTenantTheirGroupNames() throws Exception {
    String suffix = suffix();
    UUID acme = tenants.ensureSsoTenant("Acme " + suffix, "acme-" + suffix).getId();
    UUID globex = tenants.ensureSsoTenant("Globex " + suffix, "globex-" + suffix).getId();
    Person ana = Person.member("ana-" + suffix, "acme-" + suffix);
    Person gus =
        new Person(
            UUID.randomUUID().toString(), "gus-" + suffix, "globex-" + suffix, "tenant-admin");
    Browser anasBrowser = new Browser();
    Browser gusBrowser = new Browser();

    assertThat(anasBrowser.signIn(ana, Forgery.NONE)).isEqualTo("/");
    assertThat(gusBrowser.signIn(gus, Forgery.NONE)).isEqualTo("/");

    assertThat(anasBrowser.signedIn()).isTrue();
    assertThat(gusBrowser.signedIn()).isTrue();
    assertThat(account(ana)).containsExactly(acme + " MEMBER");
    assertThat(account(gus)).containsExactly(globex + " TENANT_ADMIN");

    // The APIs take API keys only: the provider's tokens are no credential there.
    for (String token : provider.tokens(gus)) {
      for (String path : List.of("/v1/models", "/api/datasets")) {
        HttpResponse<String> answer =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(app(path))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("%s with a provider's token", path).isEqualTo(401);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void anIdTokenTheAppCannotTrustSignsNoOneIn(Forgery forgery) throws Exception {
    String suffix = suffix();
    String group = "initech-" + suffix;
    tenants.ensureSsoTenant("Initech " + suffix, group);
    Person mallory = Person.member("mallory-" + suffix, group);
    int refusalsBefore = refusals();
    Browser browser = new Browser();

    assertThat(browser.signIn(mallory, forgery)).isEqualTo("/login?sso=invalid-token");

    assertThat(browser.signedIn()).as("no session").isFalse();
    assertThat(account(mallory)).as("no account").isEmpty();
    assertThat(refusals()).as("audited").isEqualTo(refusalsBefore + 1);
    // The same person with an honest token is let in: only the token was wrong.
    assertThat(browser.signIn(mallory, Forgery.NONE)).isEqualTo("/");
    assertThat(browser.signedIn()).isTrue();
  }

  @Test
  void aBackChannelLogoutEndsTheSessionItNamesAndNoOther() throws Exception {
    String suffix = suffix();
    String group = "hooli-" + suffix;
    tenants.ensureSsoTenant("Hooli " + suffix, group);
    Person ana = Person.member("ana-" + suffix, group);
    Person bob = Person.member("bob-" + suffix, group);
    Browser anasBrowser = new Browser();
    Browser bobsBrowser = new Browser();
    anasBrowser.signIn(ana, Forgery.NONE);
    bobsBrowser.signIn(bob, Forgery.NONE);
    assertThat(anasBrowser.signedIn()).isTrue();
    assertThat(bobsBrowser.signedIn()).isTrue();

    assertThat(backChannelLogout(provider.forgedLogoutToken(ana)).statusCode())
        .as("a logout token signed by another key")
        .isEqualTo(400);
    assertThat(anasBrowser.signedIn()).isTrue();
    assertThat(bobsBrowser.signedIn()).isTrue();

    assertThat(backChannelLogout(provider.logoutToken(bob)).statusCode()).isEqualTo(200);
    assertThat(bobsBrowser.signedIn()).as("the session the token names").isFalse();
    assertThat(anasBrowser.signedIn()).as("another user's session").isTrue();

    assertThat(backChannelLogout(provider.logoutToken(ana)).statusCode()).isEqualTo(200);
    assertThat(anasBrowser.signedIn()).isFalse();
  }

  private HttpResponse<String> backChannelLogout(String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(app(SsoSecurity.BACK_CHANNEL_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + token))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The person's account here as "tenant ROLE", or nothing. */
  private List<String> account(Person person) {
    return jdbc.sql("select tenant_id, role from app_user where external_subject = ?")
        .param(provider.issuer() + "#" + person.subject())
        .query((row, n) -> row.getString("tenant_id") + " " + row.getString("role"))
        .list();
  }

  private int refusals() {
    return jdbc.sql(
            "select count(*) from audit_record where action = 'SSO_SIGN_IN_REFUSED'"
                + " and detail = 'invalid-token'")
        .query(Integer.class)
        .single();
  }

  private URI app(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** A browser's part in sign-in: its cookies, and the redirects it follows. */
  private final class Browser {
    private final HttpClient http =
        HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    /**
     * Starts single sign-on as the sign-in link does; where the app sends the browser at the end.
     */
    String signIn(Person person, Forgery forgery) throws Exception {
      provider.nextSignIn(person, forgery);
      URI next = app("/oauth2/authorization/sso");
      for (int hop = 0; hop < 5; hop++) {
        HttpResponse<String> response = get(next);
        assertThat(response.statusCode()).as("a redirect from %s", next).isEqualTo(302);
        URI target = next.resolve(response.headers().firstValue("Location").orElseThrow());
        if (target.getPort() == port && !target.getPath().startsWith("/login/oauth2/code/")) {
          return target.getRawPath()
              + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        }
        next = target;
      }
      throw new AssertionError("Sign-in did not come back to the app");
    }

    /** Whether the app shows this browser its pages rather than sending it to sign in. */
    boolean signedIn() throws Exception {
      HttpResponse<String> page = get(app("/"));
      return page.statusCode() == 200 && page.headers().firstValue("Location").isEmpty();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
      return http.send(
          HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
