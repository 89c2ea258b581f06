package dev.tuneforge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform as an automation sees it: started with a bootstrap admin API key, tenants, users and
 * their keys provisioned over {@code /api} with it, as a script without a browser would.
 */
final class OpenAiPlatform implements AutoCloseable {
  private static final String ALPHANUMERIC =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  final LocalPlatform platform;
  final Path dataDir;
  private final String adminKey;
  private final HttpClient http = HttpClient.newHttpClient();

  private OpenAiPlatform(LocalPlatform platform, Path dataDir, String adminKey) {
    this.platform = platform;
    this.dataDir = dataDir;
    this.adminKey = adminKey;
  }

  static OpenAiPlatform start(String name) throws IOException {
    Path dataDir = Files.createTempDirectory("tuneforge-" + name + "-");
    SecureRandom random = new SecureRandom();
    String key =
        "tf_"
            + IntStream.range(0, 40)
                .mapToObj(i -> String.valueOf(ALPHANUMERIC.charAt(random.nextInt(62))))
                .collect(Collectors.joining());
    LocalPlatform platform =
        LocalPlatform.start(
            LocalPlatform.Settings.forTests(dataDir)
                .withAppProperties(Map.of("tuneforge.bootstrap.admin-api-key", key)));
    return new OpenAiPlatform(platform, dataDir, key);
  }

  /** {@code /v1}, the base URL OpenAI's clients are given. */
  String v1() {
    return platform.baseUrl() + "/v1";
  }

  /** A member of a tenant with one of their API keys. */
  record Member(String tenant, String username, String key, String keyId) {}

  /** A new tenant with a member who has a new API key. */
  Member tenantWithMember(String tenant) {
    String username = "u-" + PlatformTestSupport.suffix();
    post("/api/tenants", "{\"name\":\"" + tenant + "\"}");
    post(
        "/api/tenants/" + tenant + "/users",
        "{\"username\":\"" + username + "\",\"role\":\"MEMBER\",\"password\":\"correct-horse-9\"}");
    return newKey(tenant, username);
  }

  /** Another key of an existing member. */
  Member newKey(String tenant, String username) {
    JsonNode issued =
        JSON.readTree(
            post(
                "/api/tenants/" + tenant + "/users/" + username + "/api-keys",
                "{\"name\":\"sdk\"}"));
    return new Member(
        tenant, username, issued.path("key").asString(), issued.path("id").asString());
  }

  /** Revokes the member's key, as an admin does. */
  void revoke(Member member) {
    HttpResponse<String> response =
        send(
            "DELETE",
            "/api/tenants/"
                + member.tenant()
                + "/users/"
                + member.username()
                + "/api-keys/"
                + member.keyId(),
            null,
            adminKey);
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
  }

  /** The admin's answer to a request, failing on anything but 2xx. */
  String post(String path, String json) {
    HttpResponse<String> response = send("POST", path, json, adminKey);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 299);
    return response.body();
  }

  HttpResponse<String> send(String method, String path, @Nullable String json, String key) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(platform.baseUrl() + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the platform and deletes its data folder. */
  @Override
  public void close() {
    try {
      PlatformTestSupport.closeAndClean(platform, dataDir, true);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
