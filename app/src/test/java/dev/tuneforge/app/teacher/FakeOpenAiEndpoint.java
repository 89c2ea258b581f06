package dev.tuneforge.app.teacher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake of a third-party OpenAI-compatible chat endpoint (we cannot run a real teacher model in
 * tests). It answers each stage's prompt deterministically, and the evaluation judge's pairwise
 * prompts as its {@link PairJudge} decides, and can be told to fail: HTTP 500s, JSON that is not
 * JSON, extractions with wrong keys, wrong totals in the first or the sampled (temperature 1)
 * extraction, and judge rejections. The judge scores an extraction 9 when its total is the
 * document's, 4 when not, 2 when it rejects it. Every answer reports its usage: a token per four
 * characters of the prompt and of the answer.
 */
public final class FakeOpenAiEndpoint implements AutoCloseable {
  /** How the fake judges a pair of answers against the reference: "A", "B" or "tie". */
  public interface PairJudge {
    String winner(String reference, String answerA, String answerB);
  }

  /** A judge with a position bias and nothing else: it always prefers the first answer shown. */
  public static final PairJudge FIRST_POSITION = (reference, a, b) -> "A";

  /** Prefers the answer that is the reference to the letter; a tie when both or neither are. */
  public static final PairJudge MATCHES_REFERENCE =
      (reference, a, b) ->
          a.equals(reference) == b.equals(reference) ? "tie" : a.equals(reference) ? "A" : "B";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern COUNT = Pattern.compile("List (\\d+) distinct");
  private static final Pattern LINE = Pattern.compile("(?m)^(Category|Subtopic): (.*)$");
  private static final Pattern VARIANT = Pattern.compile("variant (\\d+) of");

  private final HttpServer server;
  private final Map<String, AtomicInteger> callsByStage = new ConcurrentHashMap<>();
  private final List<String> prompts = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger transientErrors = new AtomicInteger();
  private volatile Predicate<String> alwaysErrorFor = document -> false;
  private volatile Predicate<String> badJsonFor = document -> false;
  private volatile Predicate<String> wrongKeysFor = document -> false;
  private volatile Predicate<String> rejectFor = document -> false;
  private volatile Predicate<String> wrongFirstTotalFor = document -> false;
  private volatile Predicate<String> wrongSampledTotalFor = document -> false;
  private volatile IntConsumer afterCall = n -> {};
  private volatile long delayMillis;
  private volatile PairJudge pairJudge = MATCHES_REFERENCE;

  public FakeOpenAiEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** How pairwise judge prompts are answered from now on. */
  public FakeOpenAiEndpoint pairJudge(PairJudge judge) {
    pairJudge = judge;
    return this;
  }

  /** The next {@code n} calls answer HTTP 500, whatever they ask. */
  public FakeOpenAiEndpoint transientErrors(int n) {
    transientErrors.set(n);
    return this;
  }

  /** Extraction calls for matching documents always answer HTTP 500. */
  FakeOpenAiEndpoint alwaysErrorFor(Predicate<String> document) {
    alwaysErrorFor = document;
    return this;
  }

  FakeOpenAiEndpoint badJsonFor(Predicate<String> document) {
    badJsonFor = document;
    return this;
  }

  FakeOpenAiEndpoint wrongKeysFor(Predicate<String> document) {
    wrongKeysFor = document;
    return this;
  }

  FakeOpenAiEndpoint rejectFor(Predicate<String> document) {
    rejectFor = document;
    return this;
  }

  /** Extractions at temperature 0 of matching documents give a wrong total. */
  FakeOpenAiEndpoint wrongFirstTotalFor(Predicate<String> document) {
    wrongFirstTotalFor = document;
    return this;
  }

  /** Sampled extractions (temperature 1 and above) of matching documents give a wrong total. */
  FakeOpenAiEndpoint wrongSampledTotalFor(Predicate<String> document) {
    wrongSampledTotalFor = document;
    return this;
  }

  /** Every answer takes this long, as a real model's would. */
  FakeOpenAiEndpoint delay(long millis) {
    delayMillis = millis;
    return this;
  }

  /** Called with the number of answered calls so far, just before each answer is sent. */
  FakeOpenAiEndpoint afterCall(IntConsumer hook) {
    afterCall = hook;
    return this;
  }

  /** Answered calls of one stage ({@code pairwise} for the evaluation judge), or {@code error}s. */
  public int calls(String stage) {
    return callsByStage.getOrDefault(stage, new AtomicInteger()).get();
  }

  /** The system and user message of every answered call, one string each. */
  public List<String> prompts() {
    return prompts;
  }

  List<String> authorizations() {
    return authorizations;
  }

  private void handle(HttpExchange exchange) throws IOException {
    JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    String system = "";
    String user = "";
    for (JsonNode message : request.path("messages")) {
      if (message.path("role").stringValue().equals("system")) {
        system = message.path("content").stringValue();
      } else {
        user = message.path("content").stringValue();
      }
    }
    if (transientErrors.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      count("error");
      send(exchange, 500, "{\"error\":{\"message\":\"overloaded\"}}");
      return;
    }
    String stage = stage(system, user);
    String document =
        stage.equals("extraction")
            ? user
            : stage.equals("judge") ? between(user, "\"\"\"\n", "\n\"\"\"") : "";
    if (stage.equals("extraction") && alwaysErrorFor.test(document)) {
      count("error");
      send(exchange, 500, "{\"error\":{\"message\":\"internal error\"}}");
      return;
    }
    count(stage);
    prompts.add(system + "\n" + user);
    String answer = answer(stage, user, document, request.path("temperature").asDouble(0) >= 1);
    // Before the answer goes out, so that what the hook does is seen before the caller's next call.
    afterCall.accept(calls.incrementAndGet());
    send(exchange, 200, completion(answer, (system.length() + user.length()) / 4));
  }

  private String answer(String stage, String user, String document, boolean sampled) {
    return switch (stage) {
      case "categories" -> list("categories", "Category", requested(user));
      case "subtopics" -> list("subtopics", field(user, "Category") + " topic", requested(user));
      case "documents" -> {
        Matcher variant = VARIANT.matcher(user);
        variant.find();
        String company = field(user, "Subtopic") + " Ltd";
        yield "RECEIPT\n"
            + company
            + " #"
            + variant.group(1)
            + "\nTOTAL: "
            + variant.group(1)
            + "0.00";
      }
      case "extraction" -> {
        if (badJsonFor.test(document)) {
          yield "Sure! Here is the data: company is ACME";
        }
        String company = document.lines().skip(1).findFirst().orElse("");
        String total = document.substring(document.indexOf("TOTAL: ") + 7);
        ObjectNode json = JSON.createObjectNode().put("company", company);
        boolean wrongTotal =
            sampled ? wrongSampledTotalFor.test(document) : wrongFirstTotalFor.test(document);
        if (!wrongKeysFor.test(document)) {
          json.put("total", wrongTotal ? "1.00" : total);
        }
        yield "```json\n" + JSON.writeValueAsString(json) + "\n```";
      }
      case "pairwise" ->
          "{\"winner\": \""
              + pairJudge.winner(
                  between(user, "[Reference answer]\n", "\n\n[Answer A]\n"),
                  between(user, "[Answer A]\n", "\n\n[Answer B]\n"),
                  between(user, "[Answer B]\n", "\n\nWhich answer is better?"))
              + "\", \"reason\": \"decided by the fake\"}";
      case "judge" -> {
        if (rejectFor.test(document)) {
          yield "{\"verdict\": \"reject\", \"score\": 2,"
              + " \"reason\": \"The total is not stated in the document\"}";
        }
        String total = document.substring(document.indexOf("TOTAL: ") + 7);
        String written = between(user, "Extraction:\n", "\n\nCheck every");
        JsonNode extraction = written.isEmpty() ? JSON.createObjectNode() : JSON.readTree(written);
        yield total.equals(extraction.path("total").asString(""))
            ? "{\"verdict\": \"accept\", \"score\": 9, \"reason\": \"Every field matches the document\"}"
            : "{\"verdict\": \"accept\", \"score\": 4, \"reason\": \"The total looks off\"}";
      }
      default -> "ok";
    };
  }

  private static String stage(String system, String user) {
    if (user.startsWith("Compare two answers to the same request.")) {
      return "pairwise";
    }
    if (system.startsWith("Extract the following fields")) {
      return "extraction";
    }
    if (user.contains("distinct categories")) {
      return "categories";
    }
    if (user.contains("distinct subtopics")) {
      return "subtopics";
    }
    if (user.contains("Write one realistic document")) {
      return "documents";
    }
    if (user.startsWith("A model was asked to extract")) {
      return "judge";
    }
    return "probe";
  }

  private void count(String stage) {
    callsByStage.computeIfAbsent(stage, s -> new AtomicInteger()).incrementAndGet();
  }

  private static String list(String key, String prefix, int n) {
    ObjectNode json = JSON.createObjectNode();
    var array = json.putArray(key);
    for (int i = 1; i <= n; i++) {
      array.add(prefix + " " + i);
    }
    return JSON.writeValueAsString(json);
  }

  private static int requested(String user) {
    Matcher m = COUNT.matcher(user);
    return m.find() ? Integer.parseInt(m.group(1)) : 1;
  }

  private static String field(String user, String name) {
    Matcher m = LINE.matcher(user);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    return "";
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    int to = text.indexOf(end, from + start.length());
    return from < 0 || to < 0 ? "" : text.substring(from + start.length(), to);
  }

  private static String completion(String content, int promptTokens) {
    ObjectNode root =
        JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion");
    root.putArray("choices")
        .addObject()
        .put("index", 0)
        .put("finish_reason", "stop")
        .putObject("message")
        .put("role", "assistant")
        .put("content", content);
    root.putObject("usage")
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", content.length() / 4)
        .put("total_tokens", promptTokens + content.length() / 4);
    return JSON.writeValueAsString(root);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
