package dev.tuneforge.app.node;

import dev.tuneforge.app.export.MergeLeaseEnded;
import dev.tuneforge.app.export.MergedExport;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobLeaseEnded;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.usage.EstimateService;
import dev.tuneforge.app.usage.UsageSegment;
import dev.tuneforge.app.usage.UsageService;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * Meters the time jobs hold nodes: a segment opens when a node starts a job, at the node's price
 * then, and closes when the node's lease on the job ends (result, or back in the queue). A merged
 * export's time on a node is metered alike, as a merge segment of its job. When a node starts a
 * job, the job is estimated again for that node's class, which launch may not have known.
 */
@Component
class Metering {
  private static final Logger log = LoggerFactory.getLogger(Metering.class);

  private final UsageService usage;
  private final EstimateService estimates;
  private final NodePricing pricing;
  private final FineTuneService fineTunes;
  private final Clock clock;

  Metering(
      UsageService usage,
      EstimateService estimates,
      NodePricing pricing,
      FineTuneService fineTunes,
      Clock clock) {
    this.usage = usage;
    this.estimates = estimates;
    this.pricing = pricing;
    this.fineTunes = fineTunes;
    this.clock = clock;
  }

  void started(FineTuneJob job, TrainingNode node) {
    UsageSegment segment = segment(job, node, job.getCreatedBy(), job.getTrainedTokens());
    usage.open(segment);
    try {
      estimates.recordAtDispatch(
          job.getTenantId(),
          job.getId(),
          job.work(),
          segment.nodeClass(),
          segment.pricePerGpuHour());
    } catch (RuntimeException e) {
      // An estimate that cannot be made (a dataset deleted meanwhile) never stops a job.
      log.warn("No cost estimate stored at dispatch for job {}", job.getId(), e);
    }
  }

  /** The merge's segment, on its job, billed to whoever started the merge. */
  void mergeStarted(MergedExport merge, TrainingNode node) {
    TenantContext.callAs(merge.getTenantId(), () -> fineTunes.find(merge.getJobId()))
        .ifPresent(job -> usage.openMerge(segment(job, node, merge.getCreatedBy(), 0)));
  }

  private UsageSegment segment(FineTuneJob job, TrainingNode node, UUID user, long tokens) {
    return new UsageSegment(
        job.getTenantId(),
        job.getId(),
        job.getName(),
        user,
        job.getBaseModelId(),
        node.getId(),
        node.getName(),
        NodePricing.nodeClass(node),
        pricing.price(node),
        tokens,
        clock.instant());
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

  /** Closes the merge's segment once its lease's end is committed, as for a job's. */
  @ApplicationModuleListener(
      id = "node.metering.merge-lease-ended",
      propagation = Propagation.NOT_SUPPORTED)
  void on(MergeLeaseEnded ended) {
    usage.closeMerge(ended.jobId(), ended.at());
  }
}
