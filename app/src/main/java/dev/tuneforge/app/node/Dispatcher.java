package dev.tuneforge.app.node;

import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneQueued;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.EstimateService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * Matches queued jobs to idle nodes, oldest job first, holding back those that would take their
 * tenant over its monthly budget, and puts paused jobs back in the queue once the budget allows
 * them again (raised, or a new month). Runs inside the clustered Quartz job {@link DispatchJob}, so
 * with several app replicas only one dispatches at a time.
 */
@Component
class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final JobLeasing leasing;
  private final NodeService nodes;
  private final NodeProperties properties;
  private final Scheduler scheduler;
  private final BudgetService budgets;
  private final EstimateService estimates;
  private final NodePricing pricing;
  private final Clock clock;
  private final Timer dispatchLatency;

  Dispatcher(
      JobLeasing leasing,
      NodeService nodes,
      NodeProperties properties,
      Scheduler scheduler,
      BudgetService budgets,
      EstimateService estimates,
      NodePricing pricing,
      Clock clock,
      MeterRegistry registry) {
    this.leasing = leasing;
    this.nodes = nodes;
    this.properties = properties;
    this.scheduler = scheduler;
    this.budgets = budgets;
    this.estimates = estimates;
    this.pricing = pricing;
    this.clock = clock;
    this.dispatchLatency =
        Timer.builder("tuneforge.dispatch.latency")
            .description("Fine-tunes from submission to the node that first takes them")
            .register(registry);
  }

  int dispatch() {
    List<TrainingNode> online = nodes.online();
    resumePaused(online);
    Deque<TrainingNode> idle = new ArrayDeque<>();
    for (TrainingNode node : online) {
      if (!leasing.holdsAJob(node.getId())) {
        idle.add(node);
      }
    }
    int assigned = 0;
    for (FineTuneJob job : leasing.waiting()) {
      TrainingNode node = idle.poll();
      if (node == null) {
        break;
      }
      Optional<String> overBudget = budgetProblem(job, node);
      if (overBudget.isPresent()) {
        leasing.hold(job.getId(), overBudget.get());
        idle.addFirst(node);
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
      } else {
        idle.addFirst(node);
      }
    }
    return assigned;
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
              job.getTenantId(),
              Metering.work(job),
              NodePricing.nodeClass(node),
              pricing.price(node));
    } catch (IllegalArgumentException noDataset) {
      estimate = BigDecimal.ZERO;
    }
    return budgets.dispatchProblem(job.getTenantId(), estimate);
  }

  /** Asks Quartz to run dispatch now instead of at its next tick. */
  void dispatchSoon() {
    try {
      scheduler.triggerJob(JobKey.jobKey(DispatchJob.NAME));
    } catch (SchedulerException e) {
      log.warn("Could not trigger dispatch now; it runs at its next tick", e);
    }
  }

  /** After the job's queueing commits; no transaction needed to ask Quartz for a run. */
  @ApplicationModuleListener(
      id = "node.dispatch.fine-tune-queued",
      propagation = Propagation.NOT_SUPPORTED)
  void on(FineTuneQueued queued) {
    dispatchSoon();
  }
}
