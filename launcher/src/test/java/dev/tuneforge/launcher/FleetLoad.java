package dev.tuneforge.launcher;

import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.suffix;

import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.node.NodeService;
import dev.tuneforge.app.tenancy.QuotaOverrides;
import dev.tuneforge.app.tenancy.TenantQuotas;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.context.ApplicationContext;

/**
 * Two app replicas on one database and object store, and a fleet of {@link SimulatedNode}s split
 * between them, working off hundreds of jobs of two tenants; some nodes die holding a job. What it
 * checks and prints is what an operator of a replicated deployment needs to trust: no job runs on
 * two nodes at once, none is lost, and how long a job waits from queued to leased.
 */
final class FleetLoad {
  /** Lease and heartbeat timeouts short enough that a dead node's job is back within seconds. */
  static final Map<String, String> FAST_LEASES =
      Map.of(
          "tuneforge.nodes.lease-duration", "15s",
          "tuneforge.nodes.heartbeat-timeout", "15s",
          "tuneforge.nodes.lease-poll-wait", "5s");

  static final String QUEUED = "Files validated; queued for a training node";
  static final String STARTED = "Running on its node";
  static final String LOST = "Its node stopped answering; back in the queue";

  private static final int SUBMITTERS = 4;

  private FleetLoad() {}

  /** What a run measured. */
  record Figures(
      int jobs,
      int nodes,
      int releases,
      int lapsedCalls,
      Duration wall,
      List<Duration> dispatchLatencies,
      Map<String, Integer> leasesByReplica) {

    Duration percentile(double p) {
      List<Duration> sorted = dispatchLatencies.stream().sorted().toList();
      return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    double jobsPerSecond() {
      return jobs / (wall.toMillis() / 1000.0);
    }

    String summary() {
      return String.format(
          "Fleet load: %d jobs of 2 tenants on %d simulated nodes, split over 2 app replicas"
              + " (leases served %s); %d jobs leased again after their node died or its lease"
              + " lapsed (%d late calls of such nodes refused).%n"
              + "  dispatch latency (queued -> leased): p50 %d ms, p95 %d ms, max %d ms%n"
              + "  throughput: %.1f jobs/s (%d jobs in %.1f s, first queued to last succeeded)",
          jobs,
          nodes,
          leasesByReplica,
          releases,
          lapsedCalls,
          percentile(0.50).toMillis(),
          percentile(0.95).toMillis(),
          percentile(1.0).toMillis(),
          jobsPerSecond(),
          jobs,
          wall.toMillis() / 1000.0);
    }
  }

  /**
   * Runs {@code jobs} jobs through {@code nodes} simulated nodes, of which {@code dying} die with
   * their first lease, on a platform started without a node (its app is replica A) and a second
   * replica B; fails with the evidence when a job runs twice at once, is lost or does not finish.
   */
  static Figures run(LocalPlatform platform, int jobs, int nodes, int dying, Duration timeout)
      throws IOException, InterruptedException, ExecutionException {
    ApplicationContext app = platform.context();
    try (AppReplica replica = AppReplica.start(platform, "app-replica-b")) {
      List<SignedInUser> members =
          List.of(
              PlatformTestSupport.memberOfNewTenant(app, "Fleet A " + suffix(), "fa-" + suffix()),
              PlatformTestSupport.memberOfNewTenant(app, "Fleet B " + suffix(), "fb-" + suffix()));
      // The fleet, not the default quotas, bounds the load: each tenant may queue all its jobs and
      // run one on every node.
      SignedInUser admin = PlatformTestSupport.principal(app, platform.adminUsername());
      for (SignedInUser member : members) {
        as(
            admin,
            () ->
                app.getBean(TenantQuotas.class)
                    .set(member.tenantId(), new QuotaOverrides(nodes, jobs, null, null, 1)));
      }
      List<DatasetSummary> datasets = new ArrayList<>();
      for (SignedInUser member : members) {
        datasets.add(
            PlatformTestSupport.uploadReceipts(
                app, member, platform.dataDir(), 20, "fleet-" + member.getUsername()));
      }
      UUID demo =
          app.getBean(CatalogService.class).findByName(DemoModel.NAME).orElseThrow().getId();

      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      List<SimulatedNode> fleet = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      NodeService nodeService = app.getBean(NodeService.class);
      for (int i = 0; i < nodes; i++) {
        String server = i % 2 == 0 ? platform.baseUrl() : replica.baseUrl();
        SimulatedNode node =
            new SimulatedNode(http, server, "sim-" + i, i < dying ? 1 : Integer.MAX_VALUE);
        node.enrol(nodeService.issueEnrolmentTokenForLocalNode());
        fleet.add(node);
        threads.add(Thread.ofVirtual().name(node.name()).start(node));
      }

      FineTuneService fineTunes = app.getBean(FineTuneService.class);
      // submitted from a few threads at once, as several users' requests would be
      Map<UUID, SignedInUser> owner = new java.util.concurrent.ConcurrentHashMap<>();
      try (ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS)) {
        List<Future<?>> submitted = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
          SignedInUser member = members.get(i % 2);
          FineTuneRequest request = FineTuneRequest.defaults(demo, datasets.get(i % 2).versionId());
          submitted.add(
              submitters.submit(
                  () -> owner.put(as(member, () -> fineTunes.create(request)).getId(), member)));
        }
        for (Future<?> submission : submitted) {
          submission.get();
        }
      }
      List<UUID> ids = List.copyOf(owner.keySet());

      long deadline = System.nanoTime() + timeout.toNanos();
      List<FineTuneJob> unfinished;
      do {
        Ports.sleep(Duration.ofSeconds(1));
        unfinished = new ArrayList<>();
        for (SignedInUser member : members) {
          unfinished.addAll(
              as(member, fineTunes::list).stream()
                  .filter(job -> owner.containsKey(job.getId()) && !job.getStatus().finished())
                  .toList());
        }
      } while (!unfinished.isEmpty() && System.nanoTime() < deadline);
      fleet.forEach(SimulatedNode::stop);
      for (Thread thread : threads) {
        thread.join(Duration.ofSeconds(40));
      }
      if (!unfinished.isEmpty()) {
        throw new AssertionError(
            unfinished.size()
                + " of "
                + jobs
                + " jobs did not finish in "
                + timeout.toSeconds()
                + " s, e.g. "
                + unfinished.getFirst().getId()
                + " "
                + unfinished.getFirst().getStatus()
                + ":\n"
                + PlatformTestSupport.eventLog(
                    platform,
                    owner.get(unfinished.getFirst().getId()),
                    unfinished.getFirst().getId()));
      }

      // A live node is refused only for a job whose lease lapsed before it reported (its
      // heartbeats too slow on a loaded machine): the app then took the job back, and the refusal
      // is what keeps the late node from writing into the job's next lease.
      List<String> refused = new ArrayList<>();
      int lapsed = 0;
      for (SimulatedNode node : fleet) {
        if (!node.abandoned().isEmpty()) {
          continue;
        }
        for (SimulatedNode.Refusal refusal : node.refusals()) {
          SignedInUser member = refusal.job() == null ? null : owner.get(refusal.job());
          boolean leaseLapsed =
              member != null
                  && PlatformTestSupport.messages(platform, member, refusal.job()).contains(LOST);
          if (leaseLapsed) {
            lapsed++;
          } else {
            refused.add(node.name() + ": " + refusal.what());
          }
        }
      }
      if (!refused.isEmpty()) {
        throw new AssertionError(
            "The app refused or failed calls of nodes that held their jobs:\n"
                + String.join("\n", refused.subList(0, Math.min(20, refused.size()))));
      }

      List<Duration> latencies = new ArrayList<>();
      Instant firstQueued = Instant.MAX;
      Instant lastFinished = Instant.MIN;
      int releases = 0;
      for (UUID id : ids) {
        SignedInUser member = owner.get(id);
        FineTuneJob job = as(member, () -> fineTunes.find(id).orElseThrow());
        List<JobEventRecord> events =
            PlatformTestSupport.events(platform, member, id).stream()
                .sorted(Comparator.comparing(JobEventRecord::getId))
                .toList();
        if (job.getStatus() != JobStatus.SUCCEEDED) {
          throw new AssertionError(
              "Job " + id + " ended " + job.getStatus() + ":\n" + eventLog(platform, member, id));
        }
        releases += leasesOneAtATime(id, events) - 1;
        Instant queued = at(events, QUEUED, id);
        Instant started = at(events, STARTED, id);
        latencies.add(Duration.between(queued, started));
        firstQueued = queued.isBefore(firstQueued) ? queued : firstQueued;
        Instant finished = events.getLast().getAt();
        lastFinished = finished.isAfter(lastFinished) ? finished : lastFinished;
      }
      int abandonedJobs = fleet.stream().mapToInt(node -> node.abandoned().size()).sum();
      if (releases < abandonedJobs) {
        throw new AssertionError(
            abandonedJobs
                + " jobs were abandoned by dying nodes but only "
                + releases
                + " leased again");
      }
      Map<String, Integer> byReplica = new java.util.TreeMap<>();
      for (SimulatedNode node : fleet) {
        String replicaName = node.server().equals(platform.baseUrl()) ? "A" : "B";
        byReplica.merge(replicaName, node.leases(), Integer::sum);
      }
      return new Figures(
          jobs,
          nodes,
          releases,
          lapsed,
          Duration.between(firstQueued, lastFinished),
          latencies,
          byReplica);
    }
  }

  /**
   * Walks the job's log: each lease starts ("Running on its node") only after the one before it
   * ended (its node was declared lost, or the job finished, which ends the walk). Returns how many
   * leases the job had.
   */
  static int leasesOneAtATime(UUID id, List<JobEventRecord> events) {
    int leases = 0;
    boolean held = false;
    for (JobEventRecord event : events) {
      String message = event.getMessage();
      if (STARTED.equals(message)) {
        if (held) {
          throw new AssertionError(
              "Job "
                  + id
                  + " was leased again while its lease still ran (event "
                  + event.getId()
                  + ")");
        }
        held = true;
        leases++;
      } else if (LOST.equals(message)) {
        held = false;
      }
    }
    if (leases == 0) {
      throw new AssertionError("Job " + id + " was never leased");
    }
    return leases;
  }

  private static Instant at(List<JobEventRecord> events, String message, UUID id) {
    return events.stream()
        .filter(e -> message.equals(e.getMessage()))
        .findFirst()
        .map(JobEventRecord::getAt)
        .orElseThrow(() -> new AssertionError("Job " + id + " has no event '" + message + "'"));
  }

  private static String eventLog(LocalPlatform platform, SignedInUser member, UUID id) {
    return PlatformTestSupport.eventLog(platform, member, id);
  }
}
