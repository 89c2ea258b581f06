package dev.tuneforge.app.usage;

import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Metering: a usage record per stretch of time a job holds a node, opened when the node starts the
 * job and closed when the node reports a result or the job goes back to the queue; a merged
 * export's stretches on a node are metered the same way, as the job's {@link UsageKind#MERGE}
 * segments. Called by the node feature across tenants; every row is written as the job's own
 * tenant.
 */
@Service
@EnableConfigurationProperties(UsageProperties.class)
public class UsageService {
  private static final Logger log = LoggerFactory.getLogger(UsageService.class);

  private final UsageRepository records;
  private final CatalogService catalog;
  private final TransactionTemplate transactions;

  UsageService(UsageRepository records, CatalogService catalog, TransactionTemplate transactions) {
    this.records = records;
    this.catalog = catalog;
    this.transactions = transactions;
  }

  /**
   * Starts metering a job on a node; closes any segment of the job still open (it cannot hold two
   * nodes).
   */
  public UsageRecord open(UsageSegment segment) {
    return open(segment, UsageKind.TRAINING);
  }

  /**
   * Starts metering the job's merge on a node: a {@link UsageKind#MERGE} segment, closing any merge
   * segment of the job still open.
   */
  public UsageRecord openMerge(UsageSegment segment) {
    return open(segment, UsageKind.MERGE);
  }

  private UsageRecord open(UsageSegment segment, UsageKind kind) {
    String model =
        TenantContext.callAs(segment.tenantId(), () -> catalog.find(segment.baseModelId()))
            .map(BaseModel::getName)
            .orElse("unknown model");
    return TenantContext.callAs(
        segment.tenantId(),
        () ->
            transactions.execute(
                status -> {
                  for (UsageRecord stale : open(segment.jobId(), kind)) {
                    stale.close(segment.at(), segment.tokensAtStart());
                  }
                  return records.save(new UsageRecord(segment, model, kind));
                }));
  }

  /**
   * Ends the job's open segment at {@code at}; {@code trainedTokens} is the job's total, so the
   * segment gets what it added. No open segment (already closed): nothing happens.
   */
  public void close(UUID jobId, long trainedTokens, Instant at) {
    close(jobId, UsageKind.TRAINING, trainedTokens, at);
  }

  /** Ends the job's open merge segment at {@code at}; none open: nothing happens. */
  public void closeMerge(UUID jobId, Instant at) {
    close(jobId, UsageKind.MERGE, 0, at);
  }

  private void close(UUID jobId, UsageKind kind, long tokens, Instant at) {
    Optional<UUID> tenant = tenantOf(jobId);
    tenant.ifPresent(
        t ->
            TenantContext.runAs(
                t,
                () ->
                    transactions.executeWithoutResult(
                        status -> {
                          for (UsageRecord open : open(jobId, kind)) {
                            open.close(at, tokens);
                          }
                        })));
  }

  /**
   * Meters an evaluation that ran at the end of the job's last stretch on its node: moves its last
   * {@code evaluationSeconds} (at most the whole stretch) from that training segment into an
   * evaluation segment on the same node at the same price, so the total is unchanged; the training
   * segment then ends where the evaluation begins. Called once the job succeeded and its node's
   * evaluation summary said how long it ran; a second call for the same stretch changes nothing.
   *
   * @return the evaluation segment; empty if the job has no finished segment
   * @throws IllegalArgumentException for negative seconds or tokens
   */
  public Optional<UsageRecord> splitEvaluation(
      UUID jobId, long evaluationSeconds, long generatedTokens) {
    if (evaluationSeconds < 0 || generatedTokens < 0) {
      throw new IllegalArgumentException(
          "An evaluation's seconds and tokens are never negative, not "
              + evaluationSeconds
              + " s and "
              + generatedTokens
              + " tokens");
    }
    Optional<UUID> tenant = tenantOf(jobId);
    if (tenant.isEmpty()) {
      log.warn("No usage recorded for job {}; its evaluation is not metered", jobId);
      return Optional.empty();
    }
    return TenantContext.callAs(
        tenant.get(),
        () ->
            transactions.execute(
                status -> {
                  List<UsageRecord> segments = records.findByJobIdOrderByStartedAt(jobId);
                  Optional<UsageRecord> lastEvaluation =
                      segments.stream()
                          .filter(r -> r.getKind() == UsageKind.EVALUATION)
                          .reduce((first, second) -> second);
                  Optional<UsageRecord> lastTraining =
                      segments.stream()
                          .filter(r -> r.getKind() == UsageKind.TRAINING && r.getEndedAt() != null)
                          .reduce((first, second) -> second);
                  if (lastTraining.isEmpty()) {
                    return Optional.<UsageRecord>empty();
                  }
                  UsageRecord training = lastTraining.get();
                  if (lastEvaluation.isPresent() && lastEvaluation.get().follows(training)) {
                    return lastEvaluation;
                  }
                  long moved = Math.min(evaluationSeconds, training.getSeconds());
                  UsageRecord evaluation = new UsageRecord(training, moved, generatedTokens);
                  training.shorten(moved);
                  return Optional.of(records.save(evaluation));
                }));
  }

  /**
   * Whether a training segment of the job is still open: a node holds it, or its lease's end is not
   * metered yet.
   */
  public boolean meteringOpen(UUID jobId) {
    return TenantContext.callAsSystem(() -> !open(jobId, UsageKind.TRAINING).isEmpty());
  }

  /** The job's segments, oldest first, for the calling tenant. */
  public List<UsageRecord> segments(UUID jobId) {
    return records.findByJobIdOrderByStartedAt(jobId);
  }

  /**
   * The job's open segments of that kind: a training and a merge stretch never close each other.
   */
  private List<UsageRecord> open(UUID jobId, UsageKind kind) {
    return records.findByJobIdAndEndedAtIsNull(jobId).stream()
        .filter(record -> record.getKind() == kind)
        .toList();
  }

  private Optional<UUID> tenantOf(UUID jobId) {
    return TenantContext.callAsSystem(
        () ->
            records.findByJobIdOrderByStartedAt(jobId).stream()
                .map(UsageRecord::getTenantId)
                .findFirst());
  }
}
