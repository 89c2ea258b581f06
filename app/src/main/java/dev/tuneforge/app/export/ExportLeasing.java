package dev.tuneforge.app.export;

import dev.tuneforge.app.finetune.FineTuneProgressed;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobResult;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The merge side of dispatch, for the node feature, as {@code JobLeasing} is the fine-tune side:
 * giving queued merges to free nodes, starting them, recording their progress and result, and
 * putting merges of lost or restarted nodes back in the queue (or ending them cancelled, when their
 * users asked for that). A node touches only the merge it holds. Each change runs as the merge's
 * tenant, locked, and nudges the open pages of its job.
 */
@Service
public class ExportLeasing {
  private static final List<String> HELD = List.of(MergedExport.QUEUED, MergedExport.RUNNING);

  private final MergedExportRepository merges;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transactions;
  private final Clock clock;

  ExportLeasing(
      MergedExportRepository merges,
      ApplicationEventPublisher events,
      TransactionTemplate transactions,
      Clock clock) {
    this.merges = merges;
    this.events = events;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** Queued merges no node holds, oldest first. */
  public List<MergedExport> waiting() {
    return system(() -> merges.findByStatusAndNodeIdIsNullOrderByCreatedAt(MergedExport.QUEUED));
  }

  public boolean holdsAMerge(UUID nodeId) {
    return system(() -> merges.existsByNodeIdAndStatusIn(nodeId, HELD));
  }

  /** Gives a queued merge to a node until {@code leaseUntil}; false if someone else got it. */
  public boolean assign(UUID mergeId, UUID nodeId, Instant leaseUntil) {
    return change(mergeId, (merge, now) -> merge.assign(nodeId, leaseUntil)).isPresent();
  }

  /** The merge assigned to this node and not yet started, now marked running. */
  public Optional<MergedExport> start(UUID nodeId, Instant leaseUntil) {
    return system(
            () -> merges.findFirstByNodeIdAndStatusOrderByCreatedAt(nodeId, MergedExport.QUEUED))
        .flatMap(
            assigned -> change(assigned.getId(), (m, now) -> m.start(nodeId, leaseUntil, now)));
  }

  /**
   * Renews the lease of the node's running merge; empty when this node does not run it. The merge
   * says whether its user asked to cancel it, which the heartbeat passes on to the node.
   */
  public Optional<MergedExport> renew(UUID nodeId, @Nullable UUID mergeId, Instant leaseUntil) {
    return mergeId == null
        ? Optional.empty()
        : change(mergeId, (merge, now) -> merge.renew(nodeId, leaseUntil));
  }

  /** Keeps the last progress line (and count) the node sent for the merge it holds. */
  public boolean record(UUID nodeId, UUID mergeId, List<JobEvent> batch) {
    if (batch.isEmpty()) {
      return runningOn(nodeId, mergeId).isPresent();
    }
    JobEvent last = batch.getLast();
    String line = last.message() == null ? "" : last.message();
    return change(
            mergeId, (merge, now) -> merge.progress(nodeId, last.step(), last.totalSteps(), line))
        .isPresent();
  }

  /** The merge, while this node holds it and it runs; empty for anyone else. */
  public Optional<MergedExport> runningOn(UUID nodeId, UUID mergeId) {
    return system(() -> merges.findById(mergeId))
        .filter(
            merge ->
                nodeId.equals(merge.getNodeId()) && MergedExport.RUNNING.equals(merge.getStatus()));
  }

  /** Ends the node's merge as it reports; one its user asked to cancel ends cancelled. */
  public boolean complete(UUID nodeId, UUID mergeId, JobResult result) {
    boolean succeeded = result.status() == JobResult.Status.SUCCEEDED;
    return change(
            mergeId,
            (merge, now) ->
                merge.finish(nodeId, succeeded, result.reason(), now) && leaseEnded(merge, now))
        .isPresent();
  }

  /** Merges whose node stopped renewing go back to the queue. */
  public int requeueExpired(Instant now) {
    return (int)
        system(() -> merges.findByNodeIdIsNotNullAndLeaseExpiresAtBefore(now)).stream()
            .filter(
                stale ->
                    change(
                            stale.getId(),
                            (merge, at) -> merge.expire(now) && leaseEnded(merge, now))
                        .isPresent())
            .count();
  }

  /** Puts the merges a node ran before it started again back in the queue at once; how many. */
  public int requeueAfterRestart(UUID nodeId, Instant now) {
    return (int)
        system(() -> merges.findByNodeIdAndStatus(nodeId, MergedExport.RUNNING)).stream()
            .filter(
                held ->
                    change(
                            held.getId(),
                            (merge, at) ->
                                merge.nodeRestarted(nodeId, now) && leaseEnded(merge, now))
                        .isPresent())
            .count();
  }

  /** Metering closes the node's stretch once the change is committed. */
  private boolean leaseEnded(MergedExport merge, Instant at) {
    events.publishEvent(new MergeLeaseEnded(merge.getJobId(), at));
    return true;
  }

  private Optional<MergedExport> change(UUID mergeId, BiPredicate<MergedExport, Instant> change) {
    return system(() -> merges.findTenantIdById(mergeId))
        .flatMap(
            tenant ->
                TenantContext.callAs(
                    tenant,
                    () ->
                        Optional.ofNullable(
                            transactions.execute(
                                status -> {
                                  MergedExport merge = merges.findForUpdate(mergeId).orElse(null);
                                  if (merge == null || !change.test(merge, clock.instant())) {
                                    return null;
                                  }
                                  events.publishEvent(
                                      new FineTuneProgressed(tenant, merge.getJobId()));
                                  if (MergedExport.CANCELLED.equals(merge.getStatus())) {
                                    events.publishEvent(
                                        new MergeEndedCancelled(tenant, merge.getJobId()));
                                  }
                                  return merges.save(merge);
                                }))));
  }

  private static <T> T system(Supplier<T> work) {
    return TenantContext.callAsSystem(work);
  }
}
