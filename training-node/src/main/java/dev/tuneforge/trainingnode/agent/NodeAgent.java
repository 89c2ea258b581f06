package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.EnrolRequest;
import dev.tuneforge.protocol.EnrolResponse;
import dev.tuneforge.protocol.Gpu;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.NodeApi;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The node's life: enrol once, then heartbeat and take leases until stopped. Only a rejected
 * credential or token stops it on its own; an unreachable app is waited out.
 */
final class NodeAgent {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final NodeOptions options;
  private final AppClient app;
  private final List<Gpu> gpus;
  private final List<JobSlot> slots = new ArrayList<>();
  private final CredentialStore credentials;
  private final @Nullable ServingLoop serving;
  private volatile boolean stopping;

  NodeAgent(NodeOptions options) {
    this.options = options;
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.app = new AppClient(http, options.server(), options.leaseTimeout());
    Transfers transfers = new Transfers(http);
    this.gpus = GpuProbe.probe(options);
    // one job per GPU, each pinned to its own; a node without GPUs runs one job at a time
    for (Gpu gpu : gpus.isEmpty() ? Collections.<@Nullable Gpu>singletonList(null) : gpus) {
      CurrentJob current = new CurrentJob();
      slots.add(new JobSlot(gpu, current, new JobRunner(options, app, transfers, current, gpu)));
    }
    this.credentials = new CredentialStore(options.credentialFile());
    this.serving =
        options.serving().enabled()
            ? new ServingLoop(
                options,
                app,
                transfers,
                () -> slots.stream().anyMatch(slot -> slot.current().jobId() != null))
            : null;
  }

  /** Blocks until {@link #stop()}; throws {@link FatalNodeError} when the operator must act. */
  void run() throws InterruptedException {
    EnrolResponse identity = connect();
    Log.info(
        "node " + identity.nodeId() + " (" + options.name() + ") working for " + options.server());
    if (!gpus.isEmpty()) {
      Log.info(gpus.size() + " GPUs, one job each: " + gpus.stream().map(Gpu::name).toList());
    }
    try (Heartbeater heartbeat =
        new Heartbeater(
            app,
            () -> GpuProbe.now(options, gpus, slots),
            slots,
            reply -> {
              if (serving != null) {
                serving.onHeartbeatReply(reply);
              }
            })) {
      heartbeat.start(options.heartbeatInterval());
      AtomicReference<@Nullable FatalNodeError> fatal = new AtomicReference<>();
      List<Thread> others = new ArrayList<>();
      if (serving != null) {
        others.add(
            Thread.ofPlatform()
                .name("serving")
                .start(
                    () -> {
                      try {
                        serving.run(() -> stopping);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      for (JobSlot slot : slots.subList(1, slots.size())) {
        others.add(
            Thread.ofPlatform()
                .name("gpu-" + (slot.gpu() == null ? 0 : slot.gpu().index()))
                .start(
                    () -> {
                      try {
                        work(slot);
                      } catch (FatalNodeError e) {
                        fatal.compareAndSet(null, e);
                        stop();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      try {
        work(slots.getFirst());
      } finally {
        stopping = true;
        for (Thread other : others) {
          other.interrupt();
          other.join(10_000);
        }
      }
      if (fatal.get() != null) {
        throw fatal.get();
      }
    }
  }

  /** One slot's life: long polls for leases and works each to its result, until stopped. */
  private void work(JobSlot slot) throws InterruptedException {
    Duration backoff = Duration.ofSeconds(1);
    while (!stopping) {
      try {
        pollOnce(slot);
        backoff = Duration.ofSeconds(1);
      } catch (AppResponseException e) {
        if (e.isAuthFailure()) {
          throw rejectedCredential(e);
        }
        backoff = pause("lease request failed: " + e.getMessage(), backoff);
      } catch (IOException | RuntimeException e) {
        backoff = pause("cannot reach the app: " + e, backoff);
      }
    }
  }

  /** Loads the stored identity, or enrols with the one-time token and stores it. */
  EnrolResponse connect() throws InterruptedException {
    Optional<EnrolResponse> stored;
    try {
      stored = credentials.load();
    } catch (IOException | RuntimeException e) {
      throw new FatalNodeError(2, "cannot read " + credentials.file() + ": " + e.getMessage());
    }
    if (stored.isPresent()) {
      app.useCredential(stored.get().credential());
      return stored.get();
    }
    String token = options.token();
    if (token == null) {
      throw new FatalNodeError(
          2,
          "this node is not enrolled yet (no "
              + credentials.file()
              + ") and no enrolment token was given: pass --token or set TUNEFORGE_ENROL_TOKEN"
              + " with a one-time token from the app's admin page");
    }
    EnrolResponse enrolled = enrol(token);
    try {
      credentials.save(enrolled);
    } catch (IOException e) {
      throw new FatalNodeError(
          2,
          "enrolled as "
              + enrolled.nodeId()
              + " but cannot store the credential in "
              + credentials.file()
              + ": "
              + e.getMessage()
              + " (the token is now used up; ask for a new one)");
    }
    Log.info(
        "enrolled as node " + enrolled.nodeId() + "; credential stored in " + credentials.file());
    app.useCredential(enrolled.credential());
    return enrolled;
  }

  private EnrolResponse enrol(String token) throws InterruptedException {
    EnrolRequest request =
        EnrolRequest.of(token, options.name(), NodeResourcesProbe.probe(options.device(), gpus));
    Duration backoff = Duration.ofSeconds(1);
    while (true) {
      try {
        return app.enrol(request);
      } catch (AppResponseException e) {
        if (e.isAuthFailure()) {
          throw new FatalNodeError(
              3,
              "the app at "
                  + options.server()
                  + " rejected the enrolment token (HTTP "
                  + e.status()
                  + "): it is wrong, expired or already used; ask an admin for a new one-time token");
        }
        if (e.status() == 409) {
          throw new FatalNodeError(
              3,
              "the app at "
                  + options.server()
                  + " does not take nodes of protocol version "
                  + NodeApi.PROTOCOL_VERSION
                  + "; run the training node of the app's release ("
                  + e.getMessage()
                  + ")");
        }
        if (e.isPermanent()) {
          throw new FatalNodeError(3, "enrolment refused: " + e.getMessage());
        }
        backoff = pause("enrolment failed: " + e.getMessage(), backoff);
      } catch (IOException | RuntimeException e) {
        backoff = pause("cannot reach the app to enrol: " + e, backoff);
      }
      if (stopping) {
        throw new InterruptedException("stopped before enrolment finished");
      }
    }
  }

  /**
   * One long poll of the first slot; when it brings a lease, works the job to its reported result.
   */
  boolean pollOnce() throws IOException, InterruptedException {
    return pollOnce(slots.getFirst());
  }

  private boolean pollOnce(JobSlot slot) throws IOException, InterruptedException {
    Optional<Lease> lease = app.lease();
    if (lease.isEmpty()) {
      return false;
    }
    work(slot, lease.get());
    return true;
  }

  private void work(JobSlot slot, Lease lease) throws InterruptedException {
    Log.info("leased job " + lease.jobId() + " (" + lease.spec().baseModel() + ")" + slot.label());
    CurrentJob current = slot.current();
    current.begin(lease.jobId());
    try {
      JobResult result;
      try (EventRelay relay = new EventRelay(app, lease.jobId())) {
        result = slot.runner().run(lease, relay);
      }
      Log.info(
          "job "
              + lease.jobId()
              + " "
              + result.status().wire()
              + (result.reason() == null ? "" : ": " + result.reason()));
      report(lease, result);
    } finally {
      current.end();
    }
  }

  /** The result is what the user waits for, so it is retried through app restarts. */
  private void report(Lease lease, JobResult result) throws InterruptedException {
    Duration backoff = Duration.ofSeconds(1);
    while (!stopping) {
      try {
        app.result(lease.jobId(), result);
        return;
      } catch (AppResponseException e) {
        if (e.isPermanent()) {
          Log.error("the app refused the result of job " + lease.jobId() + ": " + e.getMessage());
          return;
        }
        backoff =
            pause("cannot report result of job " + lease.jobId() + ": " + e.getMessage(), backoff);
      } catch (IOException | RuntimeException e) {
        backoff = pause("cannot report result of job " + lease.jobId() + ": " + e, backoff);
      }
    }
  }

  private FatalNodeError rejectedCredential(AppResponseException e) {
    return new FatalNodeError(
        3,
        "the app at "
            + options.server()
            + " rejected this node's credential (HTTP "
            + e.status()
            + "): the node may have been removed or its credential revoked; delete "
            + credentials.file()
            + " and start again with a new enrolment token");
  }

  private Duration pause(String why, Duration backoff) throws InterruptedException {
    Log.warn(why + "; retrying in " + backoff.toSeconds() + " s");
    Thread.sleep(backoff.toMillis());
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
  }

  /** For SIGTERM: no new leases, and the running children go down with the agent. */
  void stop() {
    stopping = true;
    slots.forEach(slot -> slot.current().kill());
  }
}
