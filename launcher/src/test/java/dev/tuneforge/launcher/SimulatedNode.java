package dev.tuneforge.launcher;

import dev.tuneforge.protocol.EnrolRequest;
import dev.tuneforge.protocol.EnrolResponse;
import dev.tuneforge.protocol.Heartbeat;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobEventBatch;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.NodeApi;
import dev.tuneforge.protocol.NodeResources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A training node that trains nothing: it enrols, long-polls for leases, heartbeats, reports a few
 * steps, uploads a token adapter through the lease's presigned URLs and reports success, all over
 * the real node API. One that {@code diesAfterLeases} stops answering after taking that many
 * leases, as a machine that lost power would. Everything the app refused is counted.
 */
final class SimulatedNode implements Runnable {
  static final int STEPS = 3;
  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(2);

  private final HttpClient http;
  private final String server;
  private final String name;
  private final int diesAfterLeases;
  private volatile boolean stopping;
  private @Nullable String credential;
  private final AtomicInteger leases = new AtomicInteger();
  private final Queue<Refusal> refusals = new ConcurrentLinkedQueue<>();
  private final Queue<UUID> abandoned = new ConcurrentLinkedQueue<>();

  SimulatedNode(HttpClient http, String server, String name, int diesAfterLeases) {
    this.http = http;
    this.server = server;
    this.name = name;
    this.diesAfterLeases = diesAfterLeases;
  }

  void enrol(String token) throws IOException, InterruptedException {
    NodeResources resources = new NodeResources("cpu", "simulated", 64L << 30, 8);
    HttpResponse<String> answer =
        post(NodeApi.ENROL, EnrolRequest.of(token, name, resources), false);
    credential = JSON.readValue(answer.body(), EnrolResponse.class).credential();
  }

  @Override
  public void run() {
    while (!stopping) {
      try {
        HttpResponse<String> answer = post(NodeApi.LEASE, null, true);
        if (answer.statusCode() == 200) {
          work(JSON.readValue(answer.body(), Lease.class));
        }
      } catch (IOException | RuntimeException e) {
        // a lease poll that times out on a loaded app is polled again, as the real node does
        sleep(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void work(Lease lease) throws IOException, InterruptedException {
    UUID job = lease.jobId();
    if (leases.incrementAndGet() > diesAfterLeases) {
      abandoned.add(job);
      stopping = true;
      return;
    }
    // heartbeats renew the lease while the job runs, as the real node's do
    Thread heartbeats = Thread.ofVirtual().name(name + "-heartbeat").start(() -> heartbeat(job));
    try {
      report(lease);
    } finally {
      heartbeats.interrupt();
      heartbeats.join();
    }
  }

  private void heartbeat(UUID job) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        expect(post(NodeApi.HEARTBEAT, new Heartbeat("busy", job), true), "heartbeat", job);
        Thread.sleep(HEARTBEAT_EVERY);
      }
    } catch (IOException | RuntimeException e) {
      refusals.add(new Refusal(job, "heartbeat of " + job + ": " + e.getMessage()));
    } catch (InterruptedException e) {
      // the job is reported
    }
  }

  private void report(Lease lease) throws IOException, InterruptedException {
    UUID job = lease.jobId();
    List<JobEvent> events = new java.util.ArrayList<>();
    events.add(JobEvent.log("simulated by " + name));
    for (int step = 1; step <= STEPS; step++) {
      events.add(JobEvent.metric(step, STEPS, 2.0 / step, 1e-4, 1000, step * 100L));
    }
    expect(
        post(NodeApi.forJob(NodeApi.EVENTS, job), new JobEventBatch(events), true), "events", job);
    for (Map.Entry<String, String> output : lease.outputs().entrySet()) {
      if (output.getKey().startsWith("adapter/")) {
        HttpResponse<String> put =
            http.send(
                HttpRequest.newBuilder(URI.create(output.getValue()))
                    .timeout(CALL_TIMEOUT)
                    .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() / 100 != 2) {
          refusals.add(
              new Refusal(
                  job, "PUT " + output.getKey() + " of " + job + ": HTTP " + put.statusCode()));
        }
      }
    }
    expect(
        post(NodeApi.forJob(NodeApi.RESULT, job), JobResult.succeeded(STEPS, STEPS * 100L), true),
        "result",
        job);
  }

  private void expect(HttpResponse<String> answer, String call, UUID job) {
    if (answer.statusCode() / 100 != 2) {
      refusals.add(
          new Refusal(
              job, call + " of " + job + ": HTTP " + answer.statusCode() + " " + answer.body()));
    }
  }

  private HttpResponse<String> post(String path, @Nullable Object body, boolean authenticated)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + path))
            .timeout(CALL_TIMEOUT)
            .header("Accept", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (authenticated) {
      request.header("Authorization", "Bearer " + credential);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  void stop() {
    stopping = true;
  }

  String name() {
    return name;
  }

  String server() {
    return server;
  }

  /** Leases taken, including the one a node that dies takes and abandons. */
  int leases() {
    return leases.get();
  }

  /** A call about {@code job} that the app refused or did not answer. */
  record Refusal(@Nullable UUID job, String what) {}

  /** What the app refused or failed to answer; empty for a healthy run. */
  List<Refusal> refusals() {
    return List.copyOf(refusals);
  }

  /** The jobs this node took and then abandoned by dying. */
  List<UUID> abandoned() {
    return List.copyOf(abandoned);
  }

  private static void sleep(Duration pause) {
    Ports.sleep(pause);
  }
}
