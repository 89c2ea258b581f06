package dev.tuneforge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.protocol.NodeApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jspecify.annotations.Nullable;

/** The node's side of the node API over real HTTP, for tests: enrolment and JSON posts. */
public final class TestNodeApi {
  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;

  /** The app under test listens on {@code port} of 127.0.0.1. */
  public TestNodeApi(int port) {
    this.port = port;
  }

  /**
   * Enrols a CPU node called {@code name} with {@code token}, speaking this protocol version;
   * returns its credential.
   */
  public String enrol(String token, String name) throws IOException, InterruptedException {
    return enrol(
        token,
        name,
        "{\"device\":\"cpu\",\"deviceName\":\"test\",\"memoryBytes\":1024,\"cpuCores\":2}");
  }

  /**
   * Enrols a node called {@code name} offering {@code resources} (the JSON of {@code
   * NodeResources}); returns its credential.
   */
  public String enrol(String token, String name, String resources)
      throws IOException, InterruptedException {
    String body =
        "{\"token\":\""
            + token
            + "\",\"name\":\""
            + name
            + "\",\"resources\":"
            + resources
            + ",\"protocolVersion\":"
            + NodeApi.PROTOCOL_VERSION
            + "}";
    HttpResponse<String> enrolled = post(NodeApi.ENROL, null, body);
    assertThat(enrolled.statusCode()).isEqualTo(200);
    return enrolled.body().replaceAll(".*\"credential\":\"([^\"]+)\".*", "$1");
  }

  /** POSTs {@code json} to {@code path}, with that {@code Authorization} header unless null. */
  public HttpResponse<String> post(String path, @Nullable String authorization, String json)
      throws IOException, InterruptedException {
    return http.send(request(path, authorization, json), HttpResponse.BodyHandlers.ofString());
  }

  /** As {@link #post}, answered as soon as the headers come, its body read as it streams. */
  public HttpResponse<InputStream> postStreaming(
      String path, @Nullable String authorization, String json)
      throws IOException, InterruptedException {
    return http.send(request(path, authorization, json), HttpResponse.BodyHandlers.ofInputStream());
  }

  private HttpRequest request(String path, @Nullable String authorization, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request.build();
  }
}
