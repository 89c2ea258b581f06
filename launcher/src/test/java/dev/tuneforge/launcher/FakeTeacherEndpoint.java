package dev.tuneforge.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake of a third-party OpenAI-compatible chat endpoint (no real teacher model can run in tests):
 * deterministic answers for each stage of the teacher pipeline, and a judge that rejects every
 * document of variant 2.
 */
final class FakeTeacherEndpoint implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern COUNT = Pattern.compile("List (\\d+) distinct");
  private static final Pattern CATEGORY = Pattern.compile("(?m)^Category: (.*)$");
  private static final Pattern SUBTOPIC = Pattern.compile("(?m)^Subtopic: (.*)$");
  private static final Pattern VARIANT = Pattern.compile("variant (\\d+) of");

  private final HttpServer server;

  FakeTeacherEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private void handle(HttpExchange exchange) throws IOException {
    JsonNode messages = JSON.readTree(exchange.getRequestBody().readAllBytes()).path("messages");
    String system = messages.size() > 1 ? messages.path(0).path("content").stringValue() : "";
    String user = messages.path(messages.size() - 1).path("content").stringValue();
    String answer;
    if (system.startsWith("Extract the following fields")) {
      String[] lines = user.split("\n");
      answer =
          JSON.writeValueAsString(
              JSON.createObjectNode()
                  .put("company", lines[1])
                  .put("total", lines[2].replace("TOTAL: ", "")));
    } else if (user.contains("distinct categories")) {
      answer = list("categories", "Groceries", count(user));
    } else if (user.contains("distinct subtopics")) {
      answer = list("subtopics", group(CATEGORY, user) + " shop", count(user));
    } else if (user.contains("Write one realistic document")) {
      String variant = group(VARIANT, user);
      answer =
          "RECEIPT\n" + group(SUBTOPIC, user) + " #" + variant + "\nTOTAL: " + variant + "0.00";
    } else if (user.startsWith("A model was asked to extract")) {
      answer =
          user.contains(" #2\n")
              ? "{\"verdict\":\"reject\",\"reason\":\"The total does not match the receipt\"}"
              : "{\"verdict\":\"accept\",\"reason\":\"All fields match\"}";
    } else {
      answer = "ok";
    }
    ObjectNode reply = JSON.createObjectNode();
    reply
        .putArray("choices")
        .addObject()
        .putObject("message")
        .put("role", "assistant")
        .put("content", answer);
    byte[] body = JSON.writeValueAsString(reply).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String list(String key, String prefix, int n) {
    ObjectNode json = JSON.createObjectNode();
    var array = json.putArray(key);
    for (int i = 1; i <= n; i++) {
      array.add(prefix + " " + i);
    }
    return JSON.writeValueAsString(json);
  }

  private static int count(String user) {
    return Integer.parseInt(group(COUNT, user));
  }

  private static String group(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? m.group(1) : "";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
