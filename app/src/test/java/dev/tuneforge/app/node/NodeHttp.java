package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.protocol.NodeApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jspecify.annotations.Nullable;

/** The node API over real HTTP, as a node calls it, for the node feature's ITs. */
final class NodeHttp {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private NodeHttp() {}

  static HttpResponse<String> post(
      int port, String path, @Nullable String authorization, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Enrols a node of these resources (JSON) with a fresh token; its credential. */
  static String enrol(NodeService nodes, int port, String name, String resources) throws Exception {
    String token = nodes.issueEnrolmentTokenForLocalNode();
    String body =
        "{\"token\":\"" + token + "\",\"name\":\"" + name + "\",\"resources\":" + resources + "}";
    HttpResponse<String> enrolled = post(port, NodeApi.ENROL, null, body);
    assertThat(enrolled.statusCode()).isEqualTo(200);
    return enrolled.body().replaceAll(".*\"credential\":\"([^\"]+)\".*", "$1");
  }
}
