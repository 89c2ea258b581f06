package dev.tuneforge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser with the sign-in page open: its own loopback address (127.0.0.x, so the server sees one
 * address per client), session cookie and CSRF token; it posts the form as a browser does and keeps
 * the session for later requests.
 */
public final class FormSignIn {
  private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

  private final int port;
  private final HttpClient http;
  private final String token;

  public FormSignIn(int port, String from) throws IOException, InterruptedException {
    this.port = port;
    http =
        HttpClient.newBuilder()
            .localAddress(InetAddress.getByName(from))
            .cookieHandler(new CookieManager())
            .build();
    Matcher csrf = CSRF.matcher(get("/login").body());
    assertThat(csrf.find()).as("the sign-in page carries a CSRF token").isTrue();
    token = csrf.group(1);
  }

  /** Where the sign-in POST sends the browser. */
  public String signIn(String username, String password) throws IOException, InterruptedException {
    String form =
        "username="
            + encode(username)
            + "&password="
            + encode(password)
            + "&_csrf="
            + encode(token);
    HttpResponse<String> answer =
        http.send(
            request(path("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(302);
    return answer.headers().firstValue("Location").orElseThrow();
  }

  /** A GET with this browser's session. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(request(path(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private String path(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
