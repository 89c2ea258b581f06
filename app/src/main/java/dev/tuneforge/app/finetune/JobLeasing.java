package dev.tuneforge.app.finetune;

import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The job side of dispatch, for the node feature: assigning queued jobs to nodes, starting them,
 * recording their events and results, and putting jobs of lost nodes back in the queue. Each
 * operation makes one {@link FineTuneService#change change}: the job decides what is legal, so a
 * node may only touch the job it holds. Runs across tenants (system context); rows are written as
 * the job's own tenant.
 */
@Service
public class JobLeasing {
  private static final EnumSet<JobStatus> HELD = EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING);

  private final FineTuneRepository jobs;
  private final JobEventRepository events;
  private final FineTuneService fineTunes;

  JobLeasing(FineTuneRepository jobs, JobEventRepository events, FineTuneService fineTunes) {
    this.jobs = jobs;
    this.events = events;
    this.fineTunes = fineTunes;
  }

  /** Queued jobs no node holds, oldest first. */
  public List<FineTuneJob> waiting() {
    return system(() -> jobs.findByStatusAndNodeIdIsNullOrderByCreatedAt(JobStatus.QUEUED));
  }

  /**
   * Per tenant, how many of its jobs nodes hold (assigned or running); tenants with none absent.
   */
  public Map<UUID, Integer> heldByTenant() {
    Map<UUID, Integer> held = new HashMap<>();
    for (Object[] row : system(() -> jobs.countHeldByTenant(HELD))) {
      held.put((UUID) row[0], ((Number) row[1]).intValue());
    }
    return held;
  }

  public boolean holdsAJob(UUID nodeId) {
    return system(() -> jobs.existsByNodeIdAndStatusIn(nodeId, HELD));
  }

  /** How many jobs the node holds (assigned or running): one per GPU at most. */
  public int jobsHeld(UUID nodeId) {
    return system(() -> (int) jobs.countByNodeIdAndStatusIn(nodeId, HELD));
  }

  /** Gives a queued job to a node until {@code leaseUntil}; false if someone else got it. */
  public boolean assign(UUID jobId, UUID nodeId, String nodeName, Instant leaseUntil) {
    return change(jobId, (job, now) -> job.assign(nodeId, nodeName, leaseUntil)).isPresent();
  }

  /** The job assigned to this node and not yet started, now marked running. */
  public Optional<FineTuneJob> start(UUID nodeId, Instant leaseUntil) {
    return system(
            () ->
                jobs.findFirstByNodeIdAndStatusInOrderByCreatedAt(
                    nodeId, EnumSet.of(JobStatus.QUEUED)))
        .flatMap(assigned -> change(assigned, (job, now) -> job.start(nodeId, leaseUntil, now)));
  }

  /**
   * Renews the lease of the node's running job; the job (which says whether the user asked to
   * cancel it), or empty when this node does not run it.
   */
  public Optional<FineTuneJob> renew(UUID nodeId, @Nullable UUID jobId, Instant leaseUntil) {
    return jobId == null
        ? Optional.empty()
        : change(jobId, (job, now) -> job.renewLease(nodeId, leaseUntil));
  }

  /** Stores events a node sent for the job it holds. */
  public boolean record(UUID nodeId, UUID jobId, List<JobEvent> batch) {
    List<JobEventRecord> rows = new ArrayList<>();
    int lastStep = 0;
    long lastTokens = 0;
    for (JobEvent e : batch) {
      rows.add(
          new JobEventRecord(
              jobId,
              e.at(),
              e.type(),
              e.step(),
              e.totalSteps(),
              e.loss(),
              e.learningRate(),
              e.tokensPerSecond(),
              e.tokens(),
              JobEventRecord.fit(e.message())));
      // An evaluation event's step counts answered examples, not training steps.
      if (e.step() != null && e.type() == JobEvent.Type.METRIC)
        lastStep = Math.max(lastStep, e.step());
      if (e.tokens() != null) lastTokens = Math.max(lastTokens, e.tokens());
    }
    int step = lastStep;
    long tokens = lastTokens;
    return change(
            jobId,
            (job, now) -> {
              Transition progress = job.progress(nodeId, step, tokens);
              if (progress.taken()) {
                events.saveAll(rows);
              }
              return progress;
            })
        .isPresent();
  }

  /** The job, while this node holds it and it runs; empty for anyone else. */
  public Optional<FineTuneJob> runningOn(UUID nodeId, UUID jobId) {
    return system(() -> jobs.findById(jobId))
        .filter(job -> nodeId.equals(job.getNodeId()) && job.getStatus() == JobStatus.RUNNING);
  }

  /**
   * Makes an uploaded checkpoint the one the job resumes from, if this node still runs the job; the
   * caller has checked that all its files are in storage.
   */
  public boolean checkpointed(UUID nodeId, UUID jobId, int step) {
    return change(jobId, (job, now) -> job.checkpoint(nodeId, step)).isPresent();
  }

  /**
   * Ends the node's job as it reports; a job the user asked to cancel ends cancelled. The job's
   * {@link JobLeaseEnded} and, when it finished, {@link FineTuneFinished} are published with it.
   */
  public boolean complete(UUID nodeId, UUID jobId, JobResult result) {
    int steps = result.steps();
    long tokens = result.trainedTokens();
    return change(
            jobId,
            (job, now) ->
                switch (Objects.requireNonNullElse(result.status(), JobResult.Status.FAILED)) {
                  case STOPPED -> job.pause(nodeId, result.reason(), steps, tokens, now);
                  case SUCCEEDED -> job.succeed(nodeId, delivered(job), steps, tokens, now);
                  default -> job.fail(nodeId, result.reason(), steps, tokens, now);
                })
        .isPresent();
  }

  /** What the holding whose result is taken delivered; another holding's folder is not read. */
  private static String delivered(FineTuneJob job) {
    return job.isFullFineTuning()
        ? ObjectKeys.jobModel(job.getTenantId(), job.getId(), job.getLeaseId())
        : ObjectKeys.jobAdapter(job.getTenantId(), job.getId(), job.getLeaseId());
  }

  /**
   * Paused jobs (stopped at a checkpoint for their tenant's budget), oldest first; jobs their users
   * paused wait for their users instead.
   */
  public List<FineTuneJob> paused() {
    return system(
        () ->
            jobs.findByStatusAndNodeIdIsNullAndPausedByUserFalseOrderByCreatedAt(JobStatus.PAUSED));
  }

  /**
   * Records why a waiting job is not dispatched: one line in its log when it starts to wait, later
   * wordings quietly (see {@link FineTuneJob#hold}); false when nothing changed.
   */
  public boolean hold(UUID jobId, String reason) {
    return change(jobId, (job, now) -> job.hold(reason)).isPresent();
  }

  /**
   * Asks the node's running job to stop at a checkpoint; returns the reason to send with every
   * heartbeat until the node reports (the first one asked for), logging it once.
   */
  public Optional<String> requestStop(UUID nodeId, UUID jobId, String reason) {
    return change(jobId, (job, now) -> job.requestStop(nodeId, reason))
        .map(FineTuneJob::getHoldReason);
  }

  /** A paused job back in the queue; the lease it gets resumes from its last checkpoint. */
  public boolean resume(UUID jobId, String why) {
    return change(jobId, (job, now) -> job.resume(why)).isPresent();
  }

  /** Jobs whose node stopped renewing go back to the queue. */
  public int requeueExpired(Instant now) {
    return (int)
        system(() -> jobs.findByNodeIdIsNotNullAndLeaseExpiresAtBefore(now)).stream()
            .filter(stale -> change(stale, (job, at) -> job.expireLease(now)).isPresent())
            .count();
  }

  /** Puts the jobs a node ran before it started again back in the queue; how many. */
  public int requeueAfterRestart(UUID nodeId, Instant now) {
    return (int)
        system(() -> jobs.findByNodeIdAndStatus(nodeId, JobStatus.RUNNING)).stream()
            .filter(held -> change(held, (job, at) -> job.nodeRestarted(nodeId, now)).isPresent())
            .count();
  }

  /** Applies a transition as the job's tenant; empty when there is no such job or it refused. */
  private Optional<FineTuneJob> change(
      UUID jobId, BiFunction<FineTuneJob, Instant, Transition> transition) {
    return system(() -> jobs.findTenantIdById(jobId))
        .flatMap(tenant -> TenantContext.callAs(tenant, () -> fineTunes.change(jobId, transition)));
  }

  private Optional<FineTuneJob> change(
      FineTuneJob found, BiFunction<FineTuneJob, Instant, Transition> transition) {
    return TenantContext.callAs(
        found.getTenantId(), () -> fineTunes.change(found.getId(), transition));
  }

  private static <T> T system(Supplier<T> work) {
    return TenantContext.callAsSystem(work);
  }
}
