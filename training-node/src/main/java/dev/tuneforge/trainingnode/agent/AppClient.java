package dev.tuneforge.trainingnode.agent;

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
import dev.tuneforge.protocol.JobEventBatch;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.MergedFiles;
import dev.tuneforge.protocol.NodeApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The node API as typed calls. Every call but enrolment carries the node's credential. */
final class AppClient {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http;
  private final URI server;
  private final Duration leaseTimeout;
  private volatile @Nullable String credential;

  /** This agent process's id, so the app can tell a restart from a node that runs on. */
  private final String boot = UUID.randomUUID().toString();

  AppClient(HttpClient http, URI server, Duration leaseTimeout) {
    this.http = http;
    this.server = server;
    this.leaseTimeout = leaseTimeout;
  }

  void useCredential(String credential) {
    this.credential = credential;
  }

  EnrolResponse enrol(EnrolRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = post(NodeApi.ENROL, request, CALL_TIMEOUT, false);
    return Json.MAPPER.readValue(response.body(), EnrolResponse.class);
  }

  HeartbeatReply heartbeat(Heartbeat heartbeat) throws IOException, InterruptedException {
    HttpResponse<String> response = post(NodeApi.HEARTBEAT, heartbeat, CALL_TIMEOUT, true);
    if (response.statusCode() == 204 || response.body().isBlank()) {
      return new HeartbeatReply(false);
    }
    return Json.MAPPER.readValue(response.body(), HeartbeatReply.class);
  }

  Optional<Lease> lease() throws IOException, InterruptedException {
    HttpResponse<String> response = post(NodeApi.LEASE, null, leaseTimeout, true);
    if (response.statusCode() == 204 || response.body().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(Json.MAPPER.readValue(response.body(), Lease.class));
  }

  void events(UUID jobId, JobEventBatch batch) throws IOException, InterruptedException {
    post(NodeApi.forJob(NodeApi.EVENTS, jobId), batch, CALL_TIMEOUT, true);
  }

  CheckpointUrls checkpointUrls(UUID jobId, int step, CheckpointUpload upload)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        post(NodeApi.forCheckpoint(NodeApi.CHECKPOINT, jobId, step), upload, CALL_TIMEOUT, true);
    return Json.MAPPER.readValue(response.body(), CheckpointUrls.class);
  }

  /** Upload URLs for the files of the merged model of the merge this node holds. */
  CheckpointUrls mergedFileUrls(UUID mergeId, MergedFiles files)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        post(NodeApi.forJob(NodeApi.MERGED_FILES, mergeId), files, CALL_TIMEOUT, true);
    return Json.MAPPER.readValue(response.body(), CheckpointUrls.class);
  }

  /**
   * Fresh upload URLs for the outputs of the lease this node holds on {@code jobId}; empty from an
   * app that signs none (it answers 404), so the lease's own URLs are used.
   *
   * @throws AppResponseException with status 409 when the node no longer holds the lease
   */
  Optional<Map<String, String>> outputUrls(UUID jobId) throws IOException, InterruptedException {
    try {
      HttpResponse<String> response =
          post(NodeApi.forJob(NodeApi.OUTPUTS, jobId), null, CALL_TIMEOUT, true);
      return Optional.of(Json.MAPPER.readValue(response.body(), CheckpointUrls.class).urls());
    } catch (AppResponseException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Fresh download URLs for the inputs of the lease this node holds on {@code jobId}, keyed as the
   * lease's inputs; empty from an app that signs none (it answers 404).
   *
   * @throws AppResponseException with status 409 when the node no longer holds the lease
   */
  Optional<Map<String, String>> inputUrls(UUID jobId) throws IOException, InterruptedException {
    try {
      HttpResponse<String> response =
          post(NodeApi.forJob(NodeApi.INPUTS, jobId), null, CALL_TIMEOUT, true);
      return Optional.of(Json.MAPPER.readValue(response.body(), CheckpointUrls.class).urls());
    } catch (AppResponseException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  void checkpointComplete(UUID jobId, int step) throws IOException, InterruptedException {
    post(NodeApi.forCheckpoint(NodeApi.CHECKPOINT_COMPLETE, jobId, step), null, CALL_TIMEOUT, true);
  }

  void result(UUID jobId, JobResult result) throws IOException, InterruptedException {
    post(NodeApi.forJob(NodeApi.RESULT, jobId), result, CALL_TIMEOUT, true);
  }

  /** Long poll of a serving node: the requests it gets, empty when none came within the wait. */
  List<GenerationRequest> generations(GenerationPoll poll)
      throws IOException, InterruptedException {
    HttpResponse<String> response = post(NodeApi.GENERATIONS, poll, leaseTimeout, true);
    if (response.statusCode() == 204 || response.body().isBlank()) {
      return List.of();
    }
    return List.of(Json.MAPPER.readValue(response.body(), GenerationRequest[].class));
  }

  /**
   * Fresh download URLs for the files of a generation this node took; empty from an app that signs
   * none (it answers 404).
   *
   * @throws AppResponseException with the app's reason when it gives none (409: the generation
   *     ended, another node took it, or its model is no longer served)
   */
  Optional<GenerationFiles> generationFiles(UUID requestId)
      throws IOException, InterruptedException {
    try {
      HttpResponse<String> response =
          post(
              NodeApi.forGeneration(NodeApi.GENERATION_FILES, requestId), null, CALL_TIMEOUT, true);
      return Optional.of(Json.MAPPER.readValue(response.body(), GenerationFiles.class));
    } catch (AppResponseException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Posts a chunk of a generation; false when the app answers 404: nobody waits for it. */
  boolean generationChunk(UUID requestId, GenerationChunk chunk)
      throws IOException, InterruptedException {
    try {
      post(NodeApi.forGeneration(NodeApi.GENERATION_CHUNKS, requestId), chunk, CALL_TIMEOUT, true);
      return true;
    } catch (AppResponseException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  private HttpResponse<String> post(
      String path, @Nullable Object body, Duration timeout, boolean authenticated)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + path))
            .timeout(timeout)
            .header("Accept", "application/json")
            .header(NodeApi.BOOT_HEADER, boot)
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (authenticated) {
      String current = credential;
      if (current == null) {
        throw new IllegalStateException("the node has no credential yet");
      }
      request.header("Authorization", "Bearer " + current);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw new AppResponseException(
          response.statusCode(),
          "POST " + path + " answered HTTP " + response.statusCode() + snippet(response.body()));
    }
    return response;
  }

  private static String snippet(String body) {
    String flat = body.strip().replaceAll("\\s+", " ");
    if (flat.isEmpty()) {
      return "";
    }
    return ": " + (flat.length() > 300 ? flat.substring(0, 300) + "…" : flat);
  }
}
