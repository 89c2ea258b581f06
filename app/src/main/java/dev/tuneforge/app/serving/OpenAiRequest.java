package dev.tuneforge.app.serving;

import dev.tuneforge.protocol.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A request to {@code /v1/chat/completions} or {@code /v1/completions} in OpenAI's shape, read
 * leniently where OpenAI is (content as a string or as text parts, {@code stop} as a string or a
 * list) and refused with the field's name where a node could not do what it asks.
 */
record OpenAiRequest(
    String model,
    @Nullable List<PromptMessage> messages,
    @Nullable String prompt,
    GenerationSettings settings,
    boolean stream,
    boolean includeUsage) {

  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

  /** A field the request got wrong: answered 400 with OpenAI's error object naming it. */
  static final class InvalidRequest extends RuntimeException {
    final String param;

    InvalidRequest(String param, String message) {
      super(message);
      this.param = param;
    }
  }

  static OpenAiRequest chat(JsonNode body) {
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new InvalidRequest("messages", "'messages' must be a non-empty array of messages");
    }
    List<PromptMessage> read = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String role = message.path("role").asString("");
      if (!ROLES.contains(role)) {
        throw new InvalidRequest(
            "messages[" + i + "].role",
            "messages["
                + i
                + "].role must be system, developer, user or assistant, not '"
                + role
                + "'");
      }
      read.add(new PromptMessage(role.equals("developer") ? "system" : role, text(message, i)));
    }
    return of(body, read, null);
  }

  static OpenAiRequest completion(JsonNode body) {
    JsonNode prompt = body.path("prompt");
    if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isString()) {
      prompt = prompt.get(0);
    }
    if (!prompt.isString()) {
      throw new InvalidRequest("prompt", "'prompt' must be a string (one prompt per request)");
    }
    return of(body, null, prompt.asString());
  }

  private static OpenAiRequest of(
      JsonNode body, @Nullable List<PromptMessage> messages, @Nullable String prompt) {
    String model = body.path("model").asString("");
    if (model.isBlank()) {
      throw new InvalidRequest("model", "'model' names the model to use");
    }
    if (body.path("n").asInt(1) != 1) {
      throw new InvalidRequest("n", "only one choice per request ('n': 1)");
    }
    int maxTokens =
        body.path("max_completion_tokens")
            .asInt(body.path("max_tokens").asInt(GenerationSettings.DEFAULT_MAX_TOKENS));
    if (maxTokens < 1) {
      throw new InvalidRequest("max_tokens", "'max_tokens' must be at least 1, not " + maxTokens);
    }
    double temperature = body.path("temperature").asDouble(1.0);
    if (!(temperature >= 0 && temperature <= 2)) {
      throw new InvalidRequest("temperature", "'temperature' is between 0 and 2");
    }
    double topP = body.path("top_p").asDouble(1.0);
    if (!(topP > 0 && topP <= 1)) {
      throw new InvalidRequest("top_p", "'top_p' is above 0 and at most 1");
    }
    JsonNode seed = body.path("seed");
    String format = body.path("response_format").path("type").asString("text");
    if (!format.equals("text") && !format.equals("json_object")) {
      throw new InvalidRequest(
          "response_format",
          "'response_format' is {\"type\": \"text\"} or {\"type\": \"json_object\"}");
    }
    GenerationSettings settings =
        new GenerationSettings(
            maxTokens,
            temperature,
            topP,
            seed.isIntegralNumber() ? seed.asLong() : null,
            stop(body.path("stop")),
            format.equals("json_object"));
    return new OpenAiRequest(
        model,
        messages,
        prompt,
        settings,
        body.path("stream").asBoolean(false),
        body.path("stream_options").path("include_usage").asBoolean(false));
  }

  private static List<String> stop(JsonNode stop) {
    List<String> stops = new ArrayList<>();
    if (stop.isString()) {
      stops.add(stop.asString());
    } else if (stop.isArray()) {
      stop.forEach(s -> stops.add(s.asString("")));
    }
    if (stops.size() > 4 || stops.stream().anyMatch(String::isEmpty)) {
      throw new InvalidRequest("stop", "'stop' holds up to 4 strings, none empty");
    }
    return stops;
  }

  private static String text(JsonNode message, int index) {
    JsonNode content = message.path("content");
    if (content.isString()) {
      return content.asString();
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if (!"text".equals(part.path("type").asString(""))) {
          throw new InvalidRequest(
              "messages[" + index + "].content", "only text content parts are served");
        }
        text.append(part.path("text").asString(""));
      }
      return text.toString();
    }
    if (content.isNull() || content.isMissingNode()) {
      return "";
    }
    throw new InvalidRequest(
        "messages[" + index + "].content", "a message's content is a string or text parts");
  }
}
