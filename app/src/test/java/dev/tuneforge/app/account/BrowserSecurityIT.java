package dev.tuneforge.app.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestDatabase;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * What a browser is told by the sign-in page, and a forged sign-in: the headers that stop framing,
 * sniffing and loading from elsewhere, a session cookie scripts and other sites cannot use, and a
 * login POST without the page's CSRF token refused even with the right password.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tuneforge.bootstrap.admin-username=root",
      "tuneforge.bootstrap.admin-password=correct-horse-battery",
      "tuneforge.storage.public-endpoint=https://files.example.com:9443"
    })
@ContextConfiguration(initializers = TestDatabase.class)
class BrowserSecurityIT {
  @LocalServerPort int port;

  private final HttpClient http =
      HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

  @Test
  void pagesSendTheProtectiveHeadersAndTheSessionCookieIsLaxAndHttpOnly() throws Exception {
    HttpResponse<String> signIn = get("/login");
    assertThat(signIn.statusCode()).isEqualTo(200);
    List<String> cookies = signIn.headers().allValues("Set-Cookie");
    assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("JSESSIONID="));
    assertThat(cookies)
        .filteredOn(c -> c.startsWith("JSESSIONID="))
        .allSatisfy(c -> assertThat(c).contains("HttpOnly", "SameSite=Lax"));

    HttpResponse<String> page = get("/");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp ->
                assertThat(csp)
                    .contains(
                        "default-src 'self'",
                        "frame-ancestors 'none'",
                        "object-src 'none'",
                        "connect-src 'self' https://files.example.com:9443"));
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    // HSTS only over https, where it means something.
    assertThat(page.headers().firstValue("Strict-Transport-Security")).isEmpty();
  }

  @Test
  void theSignInPagesFirstResponseCarriesEveryHeader() throws Exception {
    HttpResponse<String> first =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                    .header("Accept", "text/html")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).containsIgnoringCase("<html");
    assertThat(first.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("frame-ancestors 'none'"));
    assertThat(first.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
    assertThat(first.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(first.headers().allValues("X-Frame-Options")).containsExactly("DENY");
  }

  @Test
  void aLoginPostWithoutTheCsrfTokenIsRefusedEvenWithTheRightPassword() throws Exception {
    get("/login");
    HttpResponse<String> forged =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "username=root&password=correct-horse-battery"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(forged.headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
    assertThat(get("/").headers().firstValue("Location"))
        .as("still signed out")
        .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
