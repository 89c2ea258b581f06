package dev.tuneforge.app.node;

import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneQueued;
import dev.tuneforge.app.finetune.JobLeasing;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Matches queued jobs to idle nodes, oldest job first. Runs inside the clustered Quartz job
 * {@link DispatchJob}, so with several app replicas only one dispatches at a time.
 */
@Component
class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final JobLeasing leasing;
  private final NodeService nodes;
  private final NodeProperties properties;
  private final Scheduler scheduler;

  Dispatcher(JobLeasing leasing, NodeService nodes, NodeProperties properties, Scheduler scheduler) {
    this.leasing = leasing;
    this.nodes = nodes;
    this.properties = properties;
    this.scheduler = scheduler;
  }

  int dispatch() {
    Deque<TrainingNode> idle = new ArrayDeque<>();
    for (TrainingNode node : nodes.online()) {
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
      if (leasing.assign(job.getId(), node.getId(), node.getName(), Instant.now().plus(properties.leaseDuration()))) {
        assigned++;
      } else {
        idle.addFirst(node);
      }
    }
    return assigned;
  }

  /** Asks Quartz to run dispatch now instead of at its next tick. */
  void dispatchSoon() {
    try {
      scheduler.triggerJob(JobKey.jobKey(DispatchJob.NAME));
    } catch (SchedulerException e) {
      log.warn("Could not trigger dispatch now; it runs at its next tick", e);
    }
  }

  @EventListener
  void on(FineTuneQueued queued) {
    dispatchSoon();
  }
}
