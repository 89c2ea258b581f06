package dev.tuneforge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.apikey.ApiKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public API as a script calls it: JSON bodies and {@code Authorization: Bearer} with an API
 * key, which {@link #key} issues to a user as the keys page would.
 */
public final class TestApi {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final int port;

  public TestApi(int port) {
    this.port = port;
  }

  public HttpResponse<String> call(
      String method, String path, @Nullable String key, @Nullable Object body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        request(path)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
  }

  /** The body of an answer that must be 200 OK; the assertion shows the body otherwise. */
  public static String ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  /** A new key of {@code user}, issued by that user. */
  public static String key(ApiKeys keys, UUID user, @Nullable UUID tenant, Role role) {
    SignedInUser owner = new SignedInUser(user, tenant, "user", "user", role, "x", true);
    return TestRows.as(owner, () -> keys.issue(user, "test", null)).text();
  }
}
