package dev.tuneforge.app.teacher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls an OpenAI-compatible {@code chat/completions} endpoint. Rate limits, server errors,
 * timeouts and broken connections are retried with exponential backoff; other client errors are
 * not, since asking again would get the same answer.
 */
@Component
class TeacherClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Where to call, and with which key (decrypted only for the call). */
  record Target(String baseUrl, String model, String apiKey) {}

  private final TeacherProperties properties;
  private final HttpClient http;

  TeacherClient(TeacherProperties properties) {
    this.properties = properties;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * The URL of the chat completions resource: {@code <base>/chat/completions}, where a base URL
   * that is only a host gets OpenAI's {@code /v1} prefix.
   */
  static URI completionsUri(String baseUrl) {
    URI base = URI.create(baseUrl.strip());
    String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
    if (path.isEmpty()) {
      path = "/v1";
    }
    return base.resolve(path + "/chat/completions");
  }

  /**
   * One chat completion: a system and a user message in, the assistant's text out.
   *
   * @throws TeacherCallFailed after the last retry, or at once for an answer that retrying cannot
   *     fix
   */
  String complete(
      Target target, @Nullable String system, String user, double temperature, @Nullable Long seed)
      throws TeacherCallFailed, InterruptedException {
    return complete(target, system, user, temperature, seed, null, properties.retries());
  }

  /** A tiny call that shows whether the endpoint, model and key work; not retried. */
  String probe(Target target) throws TeacherCallFailed, InterruptedException {
    return complete(target, null, "Reply with the single word: ok", 0, null, 5, 0);
  }

  private String complete(
      Target target,
      @Nullable String system,
      String user,
      double temperature,
      @Nullable Long seed,
      @Nullable Integer maxTokens,
      int retries)
      throws TeacherCallFailed, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", target.model());
    ArrayNode messages = body.putArray("messages");
    if (system != null) {
      messages.addObject().put("role", "system").put("content", system);
    }
    messages.addObject().put("role", "user").put("content", user);
    body.put("temperature", temperature);
    if (seed != null) {
      body.put("seed", seed);
    }
    if (maxTokens != null) {
      body.put("max_tokens", maxTokens);
    }
    HttpRequest request =
        HttpRequest.newBuilder(completionsUri(target.baseUrl()))
            .timeout(properties.callTimeout())
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + target.apiKey())
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSON.writeValueAsString(body), StandardCharsets.UTF_8))
            .build();
    String lastProblem = "";
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        Thread.sleep(properties.backoff().toMillis() << (attempt - 1));
      }
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (HttpTimeoutException e) {
        lastProblem = "no answer within " + properties.callTimeout().toSeconds() + " s";
        continue;
      } catch (IOException e) {
        lastProblem =
            "connection failed: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        continue;
      }
      int code = response.statusCode();
      if (code == 429 || code >= 500) {
        lastProblem = "HTTP " + code + excerpt(response.body());
        continue;
      }
      if (code != 200) {
        throw new TeacherCallFailed(
            "The endpoint answered HTTP " + code + excerpt(response.body()));
      }
      return content(response.body());
    }
    throw new TeacherCallFailed(
        (retries == 0
                ? "The call failed: "
                : "The endpoint failed " + (retries + 1) + " times; last: ")
            + lastProblem);
  }

  private static String content(String body) throws TeacherCallFailed {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new TeacherCallFailed("The endpoint's reply is not JSON" + excerpt(body));
    }
    JsonNode content = root.path("choices").path(0).path("message").path("content");
    if (!content.isString()) {
      throw new TeacherCallFailed(
          "The endpoint's reply has no choices[0].message.content" + excerpt(body));
    }
    return content.stringValue();
  }

  private static String excerpt(@Nullable String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String flat = body.strip().replaceAll("\\s+", " ");
    return ": " + (flat.length() > 300 ? flat.substring(0, 300) + "…" : flat);
  }
}
