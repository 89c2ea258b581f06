package dev.tuneforge.app.node;

import dev.tuneforge.app.account.AccessRefused.Endpoint;
import dev.tuneforge.app.account.ClientThrottle;
import dev.tuneforge.app.export.ExportLeasing;
import dev.tuneforge.app.export.MergedExport;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.app.storage.StorageQuota;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.protocol.CheckpointUpload;
import dev.tuneforge.protocol.CheckpointUrls;
import dev.tuneforge.protocol.EnrolRequest;
import dev.tuneforge.protocol.EnrolResponse;
import dev.tuneforge.protocol.Heartbeat;
import dev.tuneforge.protocol.HeartbeatReply;
import dev.tuneforge.protocol.JobEventBatch;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.MergedFiles;
import dev.tuneforge.protocol.NodeApi;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The node API: what training nodes call. See docs/node-protocol.md. */
@RestController
class NodeApiController {
  private final NodeService nodes;
  private final JobLeasing leasing;
  private final ExportLeasing merges;
  private final LeaseFactory leases;
  private final Dispatcher dispatcher;
  private final NodeProperties properties;
  private final Metering metering;
  private final BudgetService budgets;
  private final Clock clock;
  private final ClientThrottle throttle;
  private final StorageQuota storageQuota;
  private final NodeRestarts restarts;
  private final LeaseWaits waits;

  NodeApiController(
      NodeService nodes,
      JobLeasing leasing,
      ExportLeasing merges,
      LeaseFactory leases,
      Dispatcher dispatcher,
      NodeProperties properties,
      Metering metering,
      BudgetService budgets,
      Clock clock,
      ClientThrottle throttle,
      StorageQuota storageQuota,
      NodeRestarts restarts,
      LeaseWaits waits) {
    this.waits = waits;
    this.storageQuota = storageQuota;
    this.restarts = restarts;
    this.nodes = nodes;
    this.leasing = leasing;
    this.merges = merges;
    this.leases = leases;
    this.dispatcher = dispatcher;
    this.properties = properties;
    this.metering = metering;
    this.budgets = budgets;
    this.clock = clock;
    this.throttle = throttle;
  }

  /**
   * Unknown tokens are throttled per client (IPv6 per /64) as sign-ins are: after a few, the next
   * enrolment from that client answers 429 with {@code Retry-After}, its token unchecked.
   */
  @PostMapping(NodeApi.ENROL)
  ResponseEntity<?> enrol(@RequestBody EnrolRequest request, HttpServletRequest http) {
    String address = Objects.requireNonNullElse(http.getRemoteAddr(), "");
    String name = Objects.requireNonNullElse(request.name(), "");
    Optional<ClientThrottle.Refused> refused =
        throttle.attempt(Endpoint.NODE_ENROLMENT, name, address);
    if (refused.isPresent()) {
      return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
          .header(HttpHeaders.RETRY_AFTER, Long.toString(refused.get().seconds()))
          .body(Map.of("error", refused.get().message()));
    }
    try {
      EnrolResponse enrolled = nodes.enrol(request);
      throttle.succeeded(Endpoint.NODE_ENROLMENT, name, address);
      return ResponseEntity.ok(enrolled);
    } catch (UnknownEnrolmentTokenException guess) {
      throttle.failed(Endpoint.NODE_ENROLMENT, name, address, "unknown enrolment token");
      throw guess;
    } catch (RuntimeException other) {
      throttle.succeeded(Endpoint.NODE_ENROLMENT, name, address);
      throw other;
    }
  }

  @PostMapping(NodeApi.HEARTBEAT)
  HeartbeatReply heartbeat(
      @AuthenticationPrincipal NodePrincipal node,
      @RequestBody Heartbeat heartbeat,
      HttpServletRequest http) {
    noticeRestart(node, http);
    Optional<TrainingNode> known = nodes.authenticatedNode(node.nodeId());
    known.ifPresent(n -> nodes.heartbeat(n, heartbeat.state(), heartbeat.gpus()));
    HeartbeatReply reply = jobReply(node, heartbeat);
    String policy = known.map(n -> n.getServingPolicy().wire()).orElse(null);
    return new HeartbeatReply(reply.cancelCurrentJob(), reply.stopCurrentJob(), policy);
  }

  /** A node that started again no longer runs what it held: that goes back in the queue now. */
  private void noticeRestart(NodePrincipal node, HttpServletRequest http) {
    if (restarts.requeueIfRestarted(node.nodeId(), http.getHeader(NodeApi.BOOT_HEADER)) > 0) {
      dispatcher.dispatchSoon();
    }
  }

  private HeartbeatReply jobReply(NodePrincipal node, Heartbeat heartbeat) {
    Instant leaseUntil = clock.instant().plus(properties.leaseDuration());
    FineTuneJob running =
        leasing.renew(node.nodeId(), heartbeat.currentJobId(), leaseUntil).orElse(null);
    if (running == null) {
      // a merge holds no stop request; its user's cancel reaches its node as a job's does
      boolean cancel =
          merges
              .renew(node.nodeId(), heartbeat.currentJobId(), leaseUntil)
              .map(MergedExport::isCancelRequested)
              .orElse(false);
      return new HeartbeatReply(cancel);
    }
    if (running.isCancelRequested()) {
      return new HeartbeatReply(true);
    }
    if (running.isPausedByUser()) {
      return HeartbeatReply.stop(
          Objects.requireNonNullElse(running.getHoldReason(), "paused by user"));
    }
    String stop =
        budgets
            .runningProblem(running.getTenantId())
            .flatMap(reason -> leasing.requestStop(node.nodeId(), running.getId(), reason))
            .orElse(null);
    return new HeartbeatReply(false, stop);
  }

  /** Long poll: answers as soon as a job is assigned to this node, or with 204 after the wait. */
  @PostMapping(NodeApi.LEASE)
  ResponseEntity<Lease> lease(@AuthenticationPrincipal NodePrincipal node, HttpServletRequest http)
      throws InterruptedException {
    noticeRestart(node, http);
    nodes.authenticatedNode(node.nodeId()).ifPresent(n -> nodes.heartbeat(n, "idle"));
    dispatcher.dispatchSoon();
    long deadline = System.nanoTime() + properties.leasePollWait().toNanos();
    do {
      long seen = waits.seen();
      Instant expires = clock.instant().plus(properties.leaseDuration());
      var started = leasing.start(node.nodeId(), expires);
      if (started.isPresent()) {
        Lease lease = leases.build(started.get(), expires);
        nodes.authenticatedNode(node.nodeId()).ifPresent(n -> metering.started(started.get(), n));
        return ResponseEntity.ok(lease);
      }
      Optional<MergedExport> merge = merges.start(node.nodeId(), expires);
      if (merge.isPresent()) {
        Lease lease = leases.buildMerge(merge.get(), expires);
        nodes
            .authenticatedNode(node.nodeId())
            .ifPresent(n -> metering.mergeStarted(merge.get(), n));
        return ResponseEntity.ok(lease);
      }
      waits.await(seen, LeaseWaits.next(deadline));
    } while (System.nanoTime() < deadline);
    return ResponseEntity.noContent().build();
  }

  @PostMapping(NodeApi.EVENTS)
  ResponseEntity<Void> events(
      @AuthenticationPrincipal NodePrincipal node,
      @PathVariable UUID jobId,
      @RequestBody JobEventBatch batch) {
    return leasing.record(node.nodeId(), jobId, batch.events())
            || merges.record(node.nodeId(), jobId, batch.events())
        ? ResponseEntity.accepted().build()
        : ResponseEntity.status(HttpStatus.CONFLICT).build();
  }

  @PostMapping(NodeApi.RESULT)
  ResponseEntity<Void> result(
      @AuthenticationPrincipal NodePrincipal node,
      @PathVariable UUID jobId,
      @RequestBody JobResult result) {
    boolean accepted =
        leasing.complete(node.nodeId(), jobId, result)
            || merges.complete(node.nodeId(), jobId, result);
    dispatcher.dispatchSoon();
    return accepted
        ? ResponseEntity.ok().build()
        : ResponseEntity.status(HttpStatus.CONFLICT).build();
  }

  /**
   * Upload URLs for the files of a merged model: only names a merged model has, only for the node
   * running the merge, and not once its user asked to cancel it.
   */
  @PostMapping(NodeApi.MERGED_FILES)
  ResponseEntity<?> mergedFiles(
      @AuthenticationPrincipal NodePrincipal node,
      @PathVariable UUID jobId,
      @RequestBody MergedFiles files) {
    if (files.files() == null || files.files().isEmpty()) {
      return ResponseEntity.badRequest().body(Map.of("error", "name the merged model's files"));
    }
    for (String file : files.files()) {
      if (file == null || !JobFolder.isMergedModelFile(file)) {
        return ResponseEntity.badRequest()
            .body(Map.of("error", "a merged model has no file named '" + file + "'"));
      }
    }
    return merges
        .runningOn(node.nodeId(), jobId)
        .filter(merge -> !merge.isCancelRequested())
        .<ResponseEntity<?>>map(
            merge ->
                ResponseEntity.ok(new CheckpointUrls(leases.mergedUploads(merge, files.files()))))
        .orElseGet(() -> ResponseEntity.status(HttpStatus.CONFLICT).build());
  }

  /**
   * Upload URLs for one checkpoint's files: only the four known names, only for the node running
   * the job.
   */
  @PostMapping(NodeApi.CHECKPOINT)
  ResponseEntity<?> checkpoint(
      @AuthenticationPrincipal NodePrincipal node,
      @PathVariable UUID jobId,
      @PathVariable int step,
      @RequestBody CheckpointUpload upload) {
    String problem = checkpointProblem(step, upload);
    if (problem != null) {
      return ResponseEntity.badRequest().body(Map.of("error", problem));
    }
    return leasing
        .runningOn(node.nodeId(), jobId)
        .<ResponseEntity<?>>map(
            job ->
                ResponseEntity.ok(
                    new CheckpointUrls(
                        leases.checkpointUploads(roomLeft(job), step, upload.files()))))
        .orElseGet(() -> ResponseEntity.status(HttpStatus.CONFLICT).build());
  }

  /**
   * Fresh upload URLs for the outputs of the job this node holds the lease of; 409 for any other
   * node, such as one whose lease ran out and whose job another node now runs or finished.
   */
  @PostMapping(NodeApi.OUTPUTS)
  ResponseEntity<?> outputs(@AuthenticationPrincipal NodePrincipal node, @PathVariable UUID jobId) {
    return leasing
        .runningOn(node.nodeId(), jobId)
        .<ResponseEntity<?>>map(
            job -> ResponseEntity.ok(new CheckpointUrls(leases.outputUploads(roomLeft(job)))))
        .orElseGet(() -> ResponseEntity.status(HttpStatus.CONFLICT).build());
  }

  /**
   * Fresh download URLs for the inputs of the job or merge this node holds the lease of, keyed as
   * in the lease; 409 with an error for any other node, such as one whose lease ran out and whose
   * job another node now runs or finished, and for a job the app does not know.
   */
  @PostMapping(NodeApi.INPUTS)
  ResponseEntity<?> inputs(@AuthenticationPrincipal NodePrincipal node, @PathVariable UUID jobId) {
    Optional<Map<String, String>> urls =
        leasing
            .runningOn(node.nodeId(), jobId)
            .map(leases::inputDownloads)
            .or(() -> merges.runningOn(node.nodeId(), jobId).map(leases::mergeInputDownloads));
    return urls.<ResponseEntity<?>>map(inputs -> ResponseEntity.ok(new CheckpointUrls(inputs)))
        .orElseGet(
            () ->
                ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(
                        Map.of(
                            "error",
                            "this node holds no lease of job "
                                + jobId
                                + ": its inputs go only to the node that holds it")));
  }

  /**
   * Records the checkpoint once all its files are in storage, so a resume never meets a partial
   * one.
   */
  @PostMapping(NodeApi.CHECKPOINT_COMPLETE)
  ResponseEntity<?> checkpointComplete(
      @AuthenticationPrincipal NodePrincipal node,
      @PathVariable UUID jobId,
      @PathVariable int step) {
    var job = leasing.runningOn(node.nodeId(), jobId);
    if (job.isEmpty()) {
      return ResponseEntity.status(HttpStatus.CONFLICT).build();
    }
    if (step < 1 || !leases.checkpointStored(job.get(), step)) {
      return ResponseEntity.badRequest()
          .body(
              Map.of(
                  "error",
                  "checkpoint "
                      + JobFolder.checkpointName(step)
                      + " lacks some of "
                      + leases.checkpointFiles(job.get())));
    }
    return leasing.checkpointed(node.nodeId(), jobId, step)
        ? ResponseEntity.ok().build()
        : ResponseEntity.status(HttpStatus.CONFLICT).build();
  }

  /**
   * The job, unless its tenant holds its whole storage quota: then the upload is refused (403,
   * naming the quota), so a checkpoint is skipped and the job's outputs fail it with that reason;
   * what it stored before stays.
   */
  private FineTuneJob roomLeft(FineTuneJob job) {
    storageQuota.checkRoomLeft(job.getTenantId());
    return job;
  }

  private static @Nullable String checkpointProblem(int step, CheckpointUpload upload) {
    if (step < 1) {
      return "a checkpoint's step is at least 1";
    }
    if (upload.files() == null || upload.files().isEmpty()) {
      return "name the checkpoint's files";
    }
    for (String file : upload.files()) {
      if (file == null
          || file.contains("/")
          || file.contains("\\")
          || file.contains("..")
          || !JobFolder.isCheckpointFile(file)) {
        return "a checkpoint holds only "
            + JobFolder.LORA_CHECKPOINT_FILES
            + " (LoRA) or "
            + JobFolder.FULL_CHECKPOINT_FILES
            + " (full fine-tuning), not '"
            + file
            + "'";
      }
    }
    return null;
  }

  /** The node prints this text and exits: it cannot work for this app. */
  @ExceptionHandler(IncompatibleNodeException.class)
  ResponseEntity<Map<String, String>> incompatible(IncompatibleNodeException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
  }

  /**
   * A body the records do not take, such as an event type or result status of another protocol
   * version.
   */
  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
    return ResponseEntity.badRequest()
        .body(Map.of("error", String.valueOf(e.getMostSpecificCause().getMessage())));
  }

  @ExceptionHandler(MalformedNodeRequestException.class)
  ResponseEntity<Map<String, String>> malformed(MalformedNodeRequestException e) {
    return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
    return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", e.getMessage()));
  }
}
