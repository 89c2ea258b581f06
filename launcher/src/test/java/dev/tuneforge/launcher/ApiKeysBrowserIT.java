package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * API keys from start to end: the platform admin's bootstrap key provisions a team and two users
 * over REST; the member makes a key on the API keys page, copies it, and a script uses it (the page
 * then shows when); the team's admin sees that key on the same page and revokes it, and the next
 * request with it is refused.
 */
class ApiKeysBrowserIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PASSWORD = "correct-horse-1";

  @TempDir static Path data;

  @RegisterExtension
  static final BrowserPlatform env = new BrowserPlatform(s -> s.withStartNode(false));

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aMemberMakesAKeyAScriptUsesItAndTheTeamsAdminRevokesIt() throws Exception {
    String admin = env.platform().adminApiKey();
    assertThat(call("POST", "/api/tenants", admin, Map.of("name", "keys-team")).statusCode())
        .isEqualTo(201);
    for (String[] user :
        List.of(new String[] {"kim", "MEMBER"}, new String[] {"ada", "TENANT_ADMIN"})) {
      HttpResponse<String> created =
          call(
              "POST",
              "/api/tenants/keys-team/users",
              admin,
              Map.of("username", user[0], "role", user[1], "password", PASSWORD));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    BrowserContext kimsBrowser = env.browser().newContext();
    kimsBrowser.grantPermissions(List.of("clipboard-read", "clipboard-write"));
    Page kim = kimsBrowser.newPage();
    BrowserSupport.signIn(kim, env.platform().baseUrl(), "kim", PASSWORD);
    kim.navigate(env.platform().baseUrl() + "/api-keys");
    kim.locator("#key-name input").fill("laptop");
    kim.locator("#create-key").click();
    Locator shown = kim.locator("#new-key input");
    assertThat(shown).hasValue(java.util.regex.Pattern.compile("tf_[0-9A-Za-z]{43}"));
    String key = shown.inputValue();
    kim.locator("#copy-key").click();
    // The copy runs when the click's answer reaches the browser: wait for the clipboard to hold it.
    kim.waitForFunction("async key => (await navigator.clipboard.readText()) === key", key);
    assertThat(kim.locator("#keys-grid")).containsText("laptop");
    assertThat(kim.locator("#keys-grid")).containsText(key.substring(0, 11) + "…");
    assertThat(kim.locator("#keys-grid")).not().containsText(key);

    HttpResponse<String> used = call("GET", "/api/api-keys", key, null);
    assertThat(used.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(used.body()).get(0).path("name").asString()).isEqualTo("laptop");
    kim.reload();
    assertThat(kim.locator("#keys-grid")).containsText("UTC");
    assertThat(kim.locator("#new-key")).not().isVisible();

    Page ada = env.browser().newContext().newPage();
    BrowserSupport.signIn(ada, env.platform().baseUrl(), "ada", PASSWORD);
    ada.navigate(env.platform().baseUrl() + "/api-keys");
    Locator kimsRow =
        ada.locator(
            "#managed-keys-grid vaadin-grid-cell-content",
            new Page.LocatorOptions().setHasText("kim"));
    assertThat(kimsRow.first()).isVisible();
    ada.locator("#managed-keys-grid .revoke-key").first().click();
    assertThat(ada.locator("#managed-keys-grid")).containsText("revoked");

    HttpResponse<String> refused = call("GET", "/api/api-keys", key, null);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(refused.body()).path("code").asString()).isEqualTo("invalid_api_key");
    kim.reload();
    assertThat(kim.locator("#keys-grid")).containsText("revoked");
  }

  @Test
  void theApiDocumentationPageShowsTheApisOperations() {
    Page page = env.browser().newContext().newPage();
    List<String> console = new ArrayList<>();
    page.onConsoleMessage(message -> console.add(message.type() + ": " + message.text()));
    page.onPageError(error -> console.add("error: " + error));
    page.onRequestFailed(request -> console.add("failed: " + request.url()));
    page.onResponse(
        response -> {
          if (response.status() >= 400) {
            console.add(response.status() + ": " + response.url());
          }
        });
    long start = System.nanoTime();
    page.navigate(env.platform().baseUrl() + "/swagger-ui/index.html");
    try {
      page.waitForSelector(
          ".opblock-summary-path[data-path='/api/tenants']",
          new Page.WaitForSelectorOptions().setTimeout(90_000));
      System.out.printf(
          "API documentation page: operations shown %d ms after navigating; browser said %s%n",
          (System.nanoTime() - start) / 1_000_000, console);
    } catch (PlaywrightException e) {
      throw new AssertionError(
          "The page shows no operations; the browser said: "
              + console
              + "; the page: "
              + page.locator("body").innerText(),
          e);
    }
    assertThat(page.locator(".opblock-summary-path[data-path='/v1/fine_tuning/jobs']").first())
        .isVisible();
    assertThat(console)
        .as("the page runs under its Content-Security-Policy without violations")
        .noneMatch(line -> line.contains("Content Security Policy"));
  }

  private HttpResponse<String> call(String method, String path, String key, Object body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(env.platform().baseUrl() + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
