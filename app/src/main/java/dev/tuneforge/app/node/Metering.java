package dev.tuneforge.app.node;

import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.JobLeaseEnded;
import dev.tuneforge.app.usage.JobWork;
import dev.tuneforge.app.usage.UsageSegment;
import dev.tuneforge.app.usage.UsageService;
import java.time.Clock;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * Meters the time jobs hold nodes: a segment opens when a node starts a job, at the node's price
 * then, and closes when the node's lease on the job ends (result, or back in the queue).
 */
@Component
class Metering {
  private final UsageService usage;
  private final NodePricing pricing;
  private final Clock clock;

  Metering(UsageService usage, NodePricing pricing, Clock clock) {
    this.usage = usage;
    this.pricing = pricing;
    this.clock = clock;
  }

  void started(FineTuneJob job, TrainingNode node) {
    usage.open(
        new UsageSegment(
            job.getTenantId(),
            job.getId(),
            job.getName(),
            job.getCreatedBy(),
            job.getBaseModelId(),
            node.getId(),
            node.getName(),
            NodePricing.nodeClass(node),
            pricing.price(node),
            job.getTrainedTokens(),
            clock.instant()));
  }

  /**
   * Closes the segment once the lease's end is committed; republished until it completes. Runs
   * without a transaction of its own: {@link UsageService} opens one as the job's tenant. An
   * evaluation's split waits for this close (it fails and is retried until the segment is closed).
   */
  @ApplicationModuleListener(
      id = "node.metering.lease-ended",
      propagation = Propagation.NOT_SUPPORTED)
  void on(JobLeaseEnded ended) {
    usage.close(ended.jobId(), ended.trainedTokens(), ended.at());
  }

  static JobWork work(FineTuneJob job) {
    return new JobWork(
        job.getDatasetVersionId(),
        job.getEpochs(),
        job.getMaxSteps(),
        // An optimiser step learns from the effective batch, as the form's estimate counts it.
        job.getBatchSize() * job.getGradientAccumulation(),
        job.getTrainedTokens());
  }
}
