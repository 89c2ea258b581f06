package dev.tuneforge.app.teacher;

import dev.tuneforge.app.outbound.OutboundFailed;
import dev.tuneforge.app.outbound.OutboundRequests;
import dev.tuneforge.app.outbound.OutboundResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls an OpenAI-compatible {@code chat/completions} endpoint through the outbound-request policy.
 * Rate limits, server errors, timeouts and broken connections are retried with exponential backoff;
 * other failures are not, since asking again would get the same answer. Every failure reads the
 * same to the user; what went wrong is logged.
 */
@Component
class TeacherClient {
  private static final Logger log = LoggerFactory.getLogger(TeacherClient.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Where to call, and with which key (decrypted only for the call). */
  record Target(String baseUrl, String model, String apiKey) {}

  private final TeacherProperties properties;
  private final OutboundRequests outbound;

  TeacherClient(TeacherProperties properties, OutboundRequests outbound) {
    this.properties = properties;
    this.outbound = outbound;
  }

  /**
   * The URL of the chat completions resource: {@code <base>/chat/completions}, where a base URL
   * that is only a host gets OpenAI's {@code /v1} prefix. The base's path stays a path: characters
   * that would end it are escaped, so a base URL cannot choose the query or cut the suffix off.
   */
  static URI completionsUri(String baseUrl) {
    URI base = URI.create(baseUrl.strip());
    String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
    if (path.isEmpty()) {
      path = "/v1";
    }
    try {
      return new URI(
          base.getScheme(),
          null,
          base.getHost(),
          base.getPort(),
          path + "/chat/completions",
          null,
          null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
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
    return reply(target, system, user, temperature, seed).text();
  }

  /** As {@link #complete}, with the tokens the endpoint says the call took. */
  TeacherReply reply(
      Target target, @Nullable String system, String user, double temperature, @Nullable Long seed)
      throws TeacherCallFailed, InterruptedException {
    return complete(target, system, user, temperature, seed, null, properties.retries());
  }

  /** A tiny call that shows whether the endpoint, model and key work; not retried. */
  String probe(Target target) throws TeacherCallFailed, InterruptedException {
    return complete(target, null, "Reply with the single word: ok", 0, null, 5, 0).text();
  }

  private TeacherReply complete(
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
    URI uri = completionsUri(target.baseUrl());
    Map<String, String> headers = Map.of("Authorization", "Bearer " + target.apiKey());
    String json = JSON.writeValueAsString(body);
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        Thread.sleep(properties.backoff().toMillis() << (attempt - 1));
      }
      OutboundResponse response;
      try {
        response = outbound.postJson(uri, headers, json, properties.callTimeout());
      } catch (OutboundFailed e) {
        if (e.worthRetrying()) {
          continue;
        }
        throw new TeacherCallFailed(e.getMessage());
      }
      int code = response.status();
      if (code == 429 || code >= 500) {
        log.info("Teacher endpoint {} answered HTTP {}", uri.getHost(), code);
        continue;
      }
      if (code != 200) {
        log.info("Teacher endpoint {} answered HTTP {}", uri.getHost(), code);
        throw new TeacherCallFailed(OutboundFailed.MESSAGE);
      }
      return content(response.text());
    }
    throw new TeacherCallFailed(
        (retries == 0 ? "" : "Tried " + (retries + 1) + " times. ") + OutboundFailed.MESSAGE);
  }

  private static TeacherReply content(String body) throws TeacherCallFailed {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new TeacherCallFailed(OutboundFailed.MESSAGE);
    }
    JsonNode content = root.path("choices").path(0).path("message").path("content");
    if (!content.isString()) {
      throw new TeacherCallFailed(OutboundFailed.MESSAGE);
    }
    JsonNode usage = root.path("usage");
    return new TeacherReply(
        content.stringValue(),
        usage.path("prompt_tokens").asLong(0),
        usage.path("completion_tokens").asLong(0));
  }
}
