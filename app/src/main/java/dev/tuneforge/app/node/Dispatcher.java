package dev.tuneforge.app.node;

import dev.tuneforge.app.export.ExportLeasing;
import dev.tuneforge.app.export.MergedExport;
import dev.tuneforge.app.export.MergedExportQueued;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneQueued;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.app.finetune.JobMemory;
import dev.tuneforge.app.tenancy.QuotaLimits;
import dev.tuneforge.app.tenancy.TenantQuotas;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.EstimateService;
import dev.tuneforge.app.usage.RecentNodeTime;
import dev.tuneforge.modelformat.memory.MemoryEstimate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * Matches queued jobs to nodes with a free slot (one per GPU, one on a CPU node) whose free memory
 * fits the job's {@link MemoryEstimate}, in {@link FairShare}'s order (tenants take turns by recent
 * node time, each tenant's oldest job first); a job that fits no node even idle waits with the
 * reason shown, as does one whose tenant holds as many nodes as its running-jobs quota. Holds back
 * jobs that would take their tenant over its monthly budget, and puts paused jobs back in the queue
 * once the budget allows them again (raised, or a new month).
 *
 * <p>Runs when a node polls for work, when a job is queued, finishes or loses its node, and at
 * {@link DispatchJob}'s tick: each replica coalesces the requests it gets into one run at a time on
 * a thread of its own, and {@link DispatchLock} lets one replica dispatch at a time. No Quartz
 * trigger is made per request, so replicas never race for one.
 */
@Component
class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final JobLeasing leasing;
  private final ExportLeasing merges;
  private final NodeService nodes;
  private final NodeProperties properties;
  private final DispatchLock lock;
  private final BudgetService budgets;
  private final EstimateService estimates;
  private final NodePricing pricing;
  private final JobMemory memory;
  private final TenantQuotas quotas;
  private final RecentNodeTime recent;
  private final Clock clock;
  private final LeaseWaits waits;
  private final Timer dispatchLatency;
  private final AtomicBoolean requested = new AtomicBoolean();
  private final ExecutorService soon =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("dispatch").factory());

  Dispatcher(
      JobLeasing leasing,
      ExportLeasing merges,
      NodeService nodes,
      NodeProperties properties,
      DispatchLock lock,
      BudgetService budgets,
      EstimateService estimates,
      NodePricing pricing,
      JobMemory memory,
      TenantQuotas quotas,
      RecentNodeTime recent,
      Clock clock,
      LeaseWaits waits,
      MeterRegistry registry) {
    this.waits = waits;
    this.quotas = quotas;
    this.recent = recent;
    this.leasing = leasing;
    this.merges = merges;
    this.nodes = nodes;
    this.properties = properties;
    this.lock = lock;
    this.budgets = budgets;
    this.estimates = estimates;
    this.pricing = pricing;
    this.memory = memory;
    this.clock = clock;
    this.dispatchLatency =
        Timer.builder("tuneforge.dispatch.latency")
            .description("Fine-tunes from submission to the node that first takes them")
            .register(registry);
  }

  int dispatch() {
    List<TrainingNode> online = nodes.online();
    resumePaused(online);
    // a node takes one job per GPU (one without GPUs); each job goes where its memory fits
    Map<TrainingNode, Integer> freeSlots = new LinkedHashMap<>();
    for (TrainingNode node : online) {
      if (merges.holdsAMerge(node.getId())) {
        continue;
      }
      int free = node.jobSlots() - leasing.jobsHeld(node.getId());
      if (free > 0) {
        freeSlots.put(node, free);
      }
    }
    int assigned = 0;
    Map<UUID, QuotaLimits> limits = new HashMap<>();
    Map<UUID, Integer> held = leasing.heldByTenant();
    for (FineTuneJob job : inFairShareOrder(limits, held)) {
      if (freeSlots.isEmpty()) {
        break;
      }
      int running = held.getOrDefault(job.getTenantId(), 0);
      int allowed = limits.get(job.getTenantId()).runningJobs();
      if (running >= allowed) {
        leasing.hold(
            job.getId(),
            "the team's quota of "
                + allowed
                + " running fine-tunes is in use; it starts after one");
        continue;
      }
      Optional<MemoryEstimate> need = memory.of(job);
      Optional<TrainingNode> fitting =
          freeSlots.keySet().stream()
              .filter(node -> need.isEmpty() || need.get().fitsIn(node.freeJobMemory()))
              .findFirst();
      if (fitting.isEmpty()) {
        tooLarge(job, need.orElseThrow(), online)
            .ifPresent(reason -> leasing.hold(job.getId(), reason));
        continue;
      }
      TrainingNode node = fitting.get();
      Optional<String> overBudget = budgetProblem(job, node);
      if (overBudget.isPresent()) {
        leasing.hold(job.getId(), overBudget.get());
        continue;
      }
      if (leasing.assign(
          job.getId(),
          node.getId(),
          node.getName(),
          clock.instant().plus(properties.leaseDuration()))) {
        if (job.getStartedAt() == null) {
          dispatchLatency.record(Duration.between(job.getCreatedAt(), clock.instant()));
        }
        assigned++;
        held.merge(job.getTenantId(), 1, Integer::sum);
        freeSlots.computeIfPresent(node, (n, free) -> free > 1 ? free - 1 : null);
      }
    }
    // a merge takes a whole node: one that holds nothing, after this round's training leases
    Deque<TrainingNode> idle = new ArrayDeque<>();
    freeSlots.forEach(
        (node, free) -> {
          if (free == node.jobSlots()) {
            idle.add(node);
          }
        });
    return assigned + dispatchMerges(idle);
  }

  /** The waiting jobs as {@link FairShare} orders them; fills in each tenant's limits. */
  private List<FineTuneJob> inFairShareOrder(
      Map<UUID, QuotaLimits> limits, Map<UUID, Integer> held) {
    List<FineTuneJob> waiting = leasing.waiting();
    if (waiting.isEmpty()) {
      return waiting;
    }
    for (FineTuneJob job : waiting) {
      limits.computeIfAbsent(job.getTenantId(), quotas::of);
    }
    var now = clock.instant();
    Map<UUID, Double> used = recent.between(now.minus(quotas.defaults().fairShareWindow()), now);
    return FairShare.order(waiting, used, held, tenant -> limits.get(tenant).dispatchWeight());
  }

  /**
   * Merges go to the nodes left idle, one each, and only to nodes whose protocol has merge leases;
   * they cost no budget check, as their node time is minutes.
   */
  private int dispatchMerges(Deque<TrainingNode> idle) {
    int assigned = 0;
    List<TrainingNode> able = idle.stream().filter(TrainingNode::takesMerges).toList();
    Deque<TrainingNode> free = new ArrayDeque<>(able);
    for (MergedExport merge : merges.waiting()) {
      TrainingNode node = free.poll();
      if (node == null) {
        break;
      }
      if (merges.assign(
          merge.getId(), node.getId(), clock.instant().plus(properties.leaseDuration()))) {
        assigned++;
      } else {
        free.addFirst(node);
      }
    }
    return assigned;
  }

  /**
   * Why a job fits no online node even idle, with the smaller micro-batch that would fit when there
   * is one; empty when it fits a node that is busy now, so it just waits its turn.
   */
  private Optional<String> tooLarge(
      FineTuneJob job, MemoryEstimate need, List<TrainingNode> online) {
    long largest = online.stream().mapToLong(TrainingNode::largestJobMemory).max().orElse(0);
    if (need.fitsIn(largest)) {
      return Optional.empty();
    }
    String reason =
        "needs "
            + MemoryEstimate.gib(need.total())
            + "; largest node has "
            + MemoryEstimate.gib(largest);
    OptionalInt smaller = memory.microBatchThatFits(job, largest);
    if (smaller.isPresent()) {
      reason +=
          "; a batch size of "
              + smaller.getAsInt()
              + " with gradient accumulation "
              + job.getGradientAccumulation() * (job.getBatchSize() / smaller.getAsInt())
              + " keeps the effective batch and fits";
    }
    return Optional.of(reason);
  }

  /** Paused jobs whose tenant's budget now allows the rest of their work go back in the queue. */
  private void resumePaused(List<TrainingNode> online) {
    for (FineTuneJob job : leasing.paused()) {
      Optional<String> problem =
          online.isEmpty()
              ? budgets.dispatchProblem(job.getTenantId(), BigDecimal.ZERO)
              : budgetProblem(job, online.getFirst());
      if (problem.isEmpty()) {
        leasing.resume(job.getId(), "The budget allows it again");
      } else {
        leasing.hold(job.getId(), problem.get());
      }
    }
  }

  private Optional<String> budgetProblem(FineTuneJob job, TrainingNode node) {
    if (budgets.budget(job.getTenantId()).isEmpty()) {
      return Optional.empty();
    }
    BigDecimal estimate;
    try {
      estimate =
          estimates.remainingCost(
              job.getTenantId(), job.work(), NodePricing.nodeClass(node), pricing.price(node));
    } catch (IllegalArgumentException noDataset) {
      estimate = BigDecimal.ZERO;
    }
    return budgets.dispatchProblem(job.getTenantId(), estimate);
  }

  /**
   * Asks for a dispatch on this replica's dispatch thread; requests made while one waits to run are
   * answered by that one.
   */
  void dispatchSoon() {
    if (requested.compareAndSet(false, true)) {
      try {
        soon.execute(this::dispatchRequested);
      } catch (RejectedExecutionException shutDown) {
        requested.set(false);
      }
    }
  }

  private void dispatchRequested() {
    requested.set(false);
    try {
      dispatchExclusively();
    } catch (RuntimeException e) {
      log.warn("Dispatch failed; it runs again at the next poll or tick", e);
    }
  }

  /** Dispatches once no other replica does, and returns how many leases it wrote. */
  int dispatchExclusively() {
    int leased = lock.exclusively(this::dispatch);
    if (leased > 0) {
      waits.leased();
    }
    return leased;
  }

  @PreDestroy
  void stop() {
    soon.shutdownNow();
  }

  /** After the job's queueing commits; no transaction needed to ask for a dispatch. */
  @ApplicationModuleListener(
      id = "node.dispatch.fine-tune-queued",
      propagation = Propagation.NOT_SUPPORTED)
  void on(FineTuneQueued queued) {
    dispatchSoon();
  }

  @ApplicationModuleListener(
      id = "node.dispatch.merged-export-queued",
      propagation = Propagation.NOT_SUPPORTED)
  void on(MergedExportQueued queued) {
    dispatchSoon();
  }
}
