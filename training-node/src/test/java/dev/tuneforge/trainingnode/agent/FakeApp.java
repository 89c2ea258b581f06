package dev.tuneforge.trainingnode.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.tuneforge.protocol.CheckpointUpload;
import dev.tuneforge.protocol.CheckpointUrls;
import dev.tuneforge.protocol.EnrolRequest;
import dev.tuneforge.protocol.EnrolResponse;
import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationFiles;
import dev.tuneforge.protocol.GenerationPoll;
import dev.tuneforge.protocol.GenerationRequest;
import dev.tuneforge.protocol.Heartbeat;
import dev.tuneforge.protocol.HeartbeatReply;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobEventBatch;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.MergedFiles;
import dev.tuneforge.protocol.NodeApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for the Tuneforge app and its object storage on 127.0.0.1: enough of the node API to
 * drive the agent, plus {@code /files/...} for presigned GETs and PUTs.
 */
final class FakeApp implements AutoCloseable {
  static final String TOKEN = "one-time-token";
  static final String CREDENTIAL = "node-secret";
  final UUID nodeId = UUID.randomUUID();

  final List<EnrolRequest> enrolments = new CopyOnWriteArrayList<>();
  final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
  final List<JobEventBatch> batches = new CopyOnWriteArrayList<>();
  final BlockingQueue<JobResult> results = new LinkedBlockingQueue<>();
  final List<String> resultPaths = new CopyOnWriteArrayList<>();
  final Map<String, byte[]> storage = new ConcurrentHashMap<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final AtomicInteger leaseCalls = new AtomicInteger();

  /** Status codes the lease endpoint answers first, before it serves leases. */
  final BlockingQueue<Integer> leaseFailures = new LinkedBlockingQueue<>();

  final BlockingQueue<Lease> leases = new LinkedBlockingQueue<>();
  final AtomicReference<Boolean> cancel = new AtomicReference<>(false);

  /**
   * When set, every heartbeat asks the node to stop its current job at a checkpoint, for this
   * reason.
   */
  final AtomicReference<@Nullable String> stop = new AtomicReference<>();

  /**
   * The job calls in the order they came: {@code checkpoint N}, {@code complete N}, {@code result}.
   */
  final List<String> jobCalls = new CopyOnWriteArrayList<>();

  /**
   * Status codes the checkpoint-URL endpoint answers first; checkpoint files land under {@code
   * checkpoints/step-N/}.
   */
  final BlockingQueue<Integer> checkpointFailures = new LinkedBlockingQueue<>();

  volatile boolean rejectCredential;

  /**
   * When set, a request for a merge's upload URLs is the user's cancel: every heartbeat from then
   * on asks the node to cancel, and the URLs are answered once the node has had such a reply (two
   * heartbeats later, as it beats one at a time).
   */
  volatile boolean cancelOnMergedFiles;

  /**
   * How {@link NodeApi#OUTPUTS} answers: absent, 404 as an app without the call; 200 with fresh
   * URLs under {@code fresh/}; or this status (409: the node lost its lease).
   */
  volatile @Nullable Integer outputsStatus;

  /**
   * How {@link NodeApi#INPUTS} answers: absent, 404 as an app without the call; 200 with {@link
   * #freshInputs}; or this status (409: the node lost its lease).
   */
  volatile @Nullable Integer inputsStatus;

  /** The fresh input URLs {@link NodeApi#INPUTS} answers with 200. */
  final Map<String, String> freshInputs = new ConcurrentHashMap<>();

  /** Keys under {@code /files/} that storage refuses (403), as it does a URL past its lifetime. */
  final Set<String> expiredFiles = ConcurrentHashMap.newKeySet();

  /** The one protocol version enrolment takes, as the app checks it; another gets 409. */
  volatile int protocolVersion = NodeApi.PROTOCOL_VERSION;

  /** Generation requests the next serving polls get, one list per poll. */
  final BlockingQueue<List<GenerationRequest>> generations = new LinkedBlockingQueue<>();

  final List<GenerationPoll> generationPolls = new CopyOnWriteArrayList<>();

  /**
   * What {@link NodeApi#GENERATION_FILES} answers with 200, per generation; any other generation
   * gets 409, as a generation that ended does.
   */
  final Map<UUID, GenerationFiles> generationFiles = new ConcurrentHashMap<>();

  /** The generations whose files the node asked for again, in the order it asked. */
  final List<UUID> generationFilesAsked = new CopyOnWriteArrayList<>();

  /** The chunks posted per generation, in the order they came. */
  final Map<UUID, List<GenerationChunk>> chunks = new ConcurrentHashMap<>();

  /** The serving policy every heartbeat reply carries; null leaves it out. */
  final AtomicReference<@Nullable String> servingPolicy = new AtomicReference<>();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  FakeApp() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(NodeApi.ENROL, this::enrol);
    server.createContext(NodeApi.HEARTBEAT, authenticated(this::heartbeat));
    server.createContext(NodeApi.LEASE, authenticated(this::lease));
    server.createContext(NodeApi.BASE + "/jobs/", authenticated(this::job));
    server.createContext(NodeApi.GENERATIONS, authenticated(this::generations));
    server.createContext("/files/", this::files);
    server.setExecutor(executor);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  String fileUrl(String key) {
    return uri() + "/files/" + key;
  }

  List<JobEvent> events() {
    return batches.stream().flatMap(batch -> batch.events().stream()).toList();
  }

  private HttpHandler authenticated(HttpHandler next) {
    return exchange -> {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(String.valueOf(authorization));
      if (rejectCredential || !("Bearer " + CREDENTIAL).equals(authorization)) {
        respond(exchange, 401, "{\"error\":\"unknown node\"}");
        return;
      }
      next.handle(exchange);
    };
  }

  private void enrol(HttpExchange exchange) throws IOException {
    EnrolRequest request = read(exchange, EnrolRequest.class);
    enrolments.add(request);
    if (request.statedProtocolVersion() != protocolVersion) {
      respond(
          exchange,
          409,
          "{\"error\":\"this app takes nodes of protocol version " + protocolVersion + "\"}");
      return;
    }
    if (!TOKEN.equals(request.token())) {
      respond(exchange, 401, "{\"error\":\"invalid token\"}");
      return;
    }
    respond(exchange, 200, Json.MAPPER.writeValueAsString(new EnrolResponse(nodeId, CREDENTIAL)));
  }

  private void heartbeat(HttpExchange exchange) throws IOException {
    heartbeats.add(read(exchange, Heartbeat.class));
    respond(
        exchange,
        200,
        Json.MAPPER.writeValueAsString(
            new HeartbeatReply(cancel.get(), stop.get(), servingPolicy.get())));
  }

  private void lease(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    leaseCalls.incrementAndGet();
    Integer failure = leaseFailures.poll();
    if (failure != null) {
      respond(exchange, failure, "{\"error\":\"not now\"}");
      return;
    }
    Lease lease = leases.poll();
    if (lease == null) {
      // the real app holds the poll ~20 s; a short hold keeps the agent's loop honest without
      // slowing tests
      sleep(100);
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
      return;
    }
    respond(exchange, 200, Json.MAPPER.writeValueAsString(lease));
  }

  private void generations(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.endsWith("/files")) {
      exchange.getRequestBody().readAllBytes();
      UUID id = UUID.fromString(path.split("/")[path.split("/").length - 2]);
      generationFilesAsked.add(id);
      GenerationFiles fresh = generationFiles.get(id);
      if (fresh == null) {
        respond(exchange, 409, "{\"error\":\"this node runs no such generation\"}");
      } else {
        respond(exchange, 200, Json.MAPPER.writeValueAsString(fresh));
      }
      return;
    }
    if (path.endsWith("/chunks")) {
      UUID id = UUID.fromString(path.split("/")[path.split("/").length - 2]);
      chunks
          .computeIfAbsent(id, key -> new CopyOnWriteArrayList<>())
          .add(read(exchange, GenerationChunk.class));
      respond(exchange, 204, "");
      return;
    }
    generationPolls.add(read(exchange, GenerationPoll.class));
    List<GenerationRequest> next = generations.poll();
    if (next == null) {
      sleep(100);
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
      return;
    }
    respond(exchange, 200, Json.MAPPER.writeValueAsString(next));
  }

  /** The text of a generation so far: its chunks' deltas in order. */
  String generated(UUID id) {
    StringBuilder text = new StringBuilder();
    chunks.getOrDefault(id, List.of()).forEach(chunk -> text.append(chunk.delta()));
    return text.toString();
  }

  /** The last chunk of a generation once it came. */
  @Nullable GenerationChunk lastChunk(UUID id) {
    List<GenerationChunk> posted = chunks.getOrDefault(id, List.of());
    return posted.isEmpty() || !posted.getLast().isLast() ? null : posted.getLast();
  }

  private void job(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.endsWith("/events")) {
      batches.add(read(exchange, JobEventBatch.class));
      respond(exchange, 204, "");
    } else if (path.matches(".*/checkpoints/\\d+/complete")) {
      exchange.getRequestBody().readAllBytes();
      jobCalls.add("complete " + path.split("/")[path.split("/").length - 2]);
      respond(exchange, 200, "");
    } else if (path.matches(".*/checkpoints/\\d+")) {
      String step = path.substring(path.lastIndexOf('/') + 1);
      CheckpointUpload upload = read(exchange, CheckpointUpload.class);
      Integer failure = checkpointFailures.poll();
      if (failure != null) {
        jobCalls.add("refused checkpoint " + step);
        respond(exchange, failure, "{\"error\":\"not now\"}");
        return;
      }
      jobCalls.add("checkpoint " + step);
      Map<String, String> urls = new LinkedHashMap<>();
      upload
          .files()
          .forEach(file -> urls.put(file, fileUrl("checkpoints/step-" + step + "/" + file)));
      respond(exchange, 200, Json.MAPPER.writeValueAsString(new CheckpointUrls(urls)));
    } else if (path.endsWith("/merged-files")) {
      MergedFiles files = read(exchange, MergedFiles.class);
      jobCalls.add("merged-files " + files.files());
      if (cancelOnMergedFiles) {
        cancel.set(true);
        int seen = heartbeats.size();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (heartbeats.size() < seen + 2 && System.nanoTime() < deadline) {
          sleep(20);
        }
      }
      Map<String, String> urls = new LinkedHashMap<>();
      files.files().forEach(file -> urls.put(file, fileUrl("merged/" + file)));
      respond(exchange, 200, Json.MAPPER.writeValueAsString(new CheckpointUrls(urls)));
    } else if (path.endsWith("/outputs") && outputsStatus != null) {
      exchange.getRequestBody().readAllBytes();
      jobCalls.add("outputs " + outputsStatus);
      if (outputsStatus != 200) {
        respond(exchange, outputsStatus, "");
        return;
      }
      Map<String, String> urls = new LinkedHashMap<>();
      for (String name :
          List.of("adapter/adapter_config.json", "adapter/adapter_model.safetensors")) {
        urls.put(name, fileUrl("fresh/" + name));
      }
      respond(exchange, 200, Json.MAPPER.writeValueAsString(new CheckpointUrls(urls)));
    } else if (path.endsWith("/inputs") && inputsStatus != null) {
      exchange.getRequestBody().readAllBytes();
      jobCalls.add("inputs " + inputsStatus);
      if (inputsStatus != 200) {
        respond(exchange, inputsStatus, "{\"error\":\"this node holds no lease of the job\"}");
        return;
      }
      respond(exchange, 200, Json.MAPPER.writeValueAsString(new CheckpointUrls(freshInputs)));
    } else if (path.endsWith("/result")) {
      jobCalls.add("result");
      resultPaths.add(path);
      results.add(read(exchange, JobResult.class));
      respond(exchange, 204, "");
    } else {
      respond(exchange, 404, "");
    }
  }

  private void files(HttpExchange exchange) throws IOException {
    String key = exchange.getRequestURI().getPath().substring("/files/".length());
    if (exchange.getRequestMethod().equals("PUT")) {
      storage.put(key, exchange.getRequestBody().readAllBytes());
      respond(exchange, 200, "");
      return;
    }
    if (expiredFiles.contains(key)) {
      respond(exchange, 403, "<Error><Code>AccessDenied</Code></Error>");
      return;
    }
    byte[] content = storage.get(key);
    if (content == null) {
      respond(exchange, 404, "<Error><Code>NoSuchKey</Code></Error>");
      return;
    }
    exchange.sendResponseHeaders(200, content.length);
    try (var body = exchange.getResponseBody()) {
      body.write(content);
    }
  }

  private static <T> T read(HttpExchange exchange, Class<T> type) throws IOException {
    return Json.MAPPER.readValue(exchange.getRequestBody().readAllBytes(), type);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (status == 204 || bytes.length == 0) {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
