package dev.tuneforge.app.finetune;

import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job side of dispatch, for the node feature: assigning queued jobs to nodes, starting
 * them, recording their events and results, and putting jobs of lost nodes back in the queue.
 * A node may only touch the job it holds. Runs across tenants (system context); rows are
 * written as the job's own tenant.
 */
@Service
public class JobLeasing {
  private static final EnumSet<JobStatus> HELD = EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING);

  private final FineTuneRepository jobs;
  private final JobEventRepository events;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher publisher;

  JobLeasing(
      FineTuneRepository jobs,
      JobEventRepository events,
      TransactionTemplate transactions,
      ApplicationEventPublisher publisher) {
    this.jobs = jobs;
    this.events = events;
    this.transactions = transactions;
    this.publisher = publisher;
  }

  /** Queued jobs no node holds, oldest first. */
  public List<FineTuneJob> waiting() {
    return system(() -> jobs.findByStatusAndNodeIdIsNullOrderByCreatedAt(JobStatus.QUEUED));
  }

  public boolean holdsAJob(UUID nodeId) {
    return system(() -> jobs.existsByNodeIdAndStatusIn(nodeId, HELD));
  }

  /** Gives a queued job to a node until {@code leaseUntil}; false if someone else got it. */
  public boolean assign(UUID jobId, UUID nodeId, String nodeName, Instant leaseUntil) {
    return change(jobId, job -> {
      if (job.getStatus() != JobStatus.QUEUED || job.getNodeId() != null) {
        return null;
      }
      job.assign(nodeId, leaseUntil);
      return "Assigned to node " + nodeName;
    });
  }

  /** The job assigned to this node and not yet started, now marked running. */
  public Optional<FineTuneJob> start(UUID nodeId, Instant leaseUntil) {
    Optional<FineTuneJob> assigned =
        system(() -> jobs.findFirstByNodeIdAndStatusInOrderByCreatedAt(nodeId, EnumSet.of(JobStatus.QUEUED)));
    if (assigned.isEmpty()) {
      return Optional.empty();
    }
    UUID jobId = assigned.get().getId();
    boolean started = change(jobId, job -> {
      if (!nodeId.equals(job.getNodeId()) || job.getStatus() != JobStatus.QUEUED) {
        return null;
      }
      job.start(leaseUntil);
      return "Running on its node";
    });
    return started ? system(() -> jobs.findById(jobId)) : Optional.empty();
  }

  /** Renews the lease of the node's running job; true when the user asked to cancel it. */
  public boolean renew(UUID nodeId, @Nullable UUID jobId, Instant leaseUntil) {
    if (jobId == null) {
      return false;
    }
    boolean[] cancel = {false};
    changeQuietly(jobId, job -> {
      if (nodeId.equals(job.getNodeId()) && job.getStatus() == JobStatus.RUNNING) {
        job.renewLease(leaseUntil);
        cancel[0] = job.isCancelRequested();
      }
    });
    return cancel[0];
  }

  /** Stores events a node sent for the job it holds. */
  public boolean record(UUID nodeId, UUID jobId, List<JobEvent> batch) {
    Optional<FineTuneJob> job = system(() -> jobs.findById(jobId)).filter(j -> nodeId.equals(j.getNodeId()));
    if (job.isEmpty()) {
      return false;
    }
    UUID tenant = job.get().getTenantId();
    TenantContext.runAs(tenant, () -> transactions.executeWithoutResult(status -> {
      List<JobEventRecord> rows = new ArrayList<>();
      int lastStep = 0;
      long lastTokens = 0;
      for (JobEvent e : batch) {
        rows.add(new JobEventRecord(
            jobId, e.at(), e.type(), e.step(), e.totalSteps(), e.loss(), e.learningRate(),
            e.tokensPerSecond(), e.tokens(), JobEventRecord.fit(e.message())));
        // An evaluation event's step counts answered examples, not training steps.
        if (e.step() != null && "metric".equals(e.type())) lastStep = Math.max(lastStep, e.step());
        if (e.tokens() != null) lastTokens = Math.max(lastTokens, e.tokens());
      }
      events.saveAll(rows);
      FineTuneJob current = jobs.findById(jobId).orElseThrow();
      current.progress(lastStep, lastTokens);
      jobs.save(current);
    }));
    publisher.publishEvent(new FineTuneProgressed(tenant, jobId));
    return true;
  }

  /** The job, while this node holds it and it runs; empty for anyone else. */
  public Optional<FineTuneJob> runningOn(UUID nodeId, UUID jobId) {
    return system(() -> jobs.findById(jobId))
        .filter(job -> nodeId.equals(job.getNodeId()) && job.getStatus() == JobStatus.RUNNING);
  }

  /**
   * Makes an uploaded checkpoint the one the job resumes from, if this node still runs the job;
   * the caller has checked that all its files are in storage.
   */
  public boolean checkpointed(UUID nodeId, UUID jobId, int step) {
    return change(jobId, job -> {
      if (!nodeId.equals(job.getNodeId()) || job.getStatus() != JobStatus.RUNNING) {
        return null;
      }
      job.checkpointed(step);
      return "checkpoint step-" + step + " saved";
    });
  }

  /**
   * Ends the node's job as it reports; a cancelled job stays cancelled. Publishes {@link
   * FineTuneFinished} once the outcome is stored.
   */
  public boolean complete(UUID nodeId, UUID jobId, JobResult result) {
    long[] tokensAtEnd = {0};
    boolean completed = change(jobId, job -> {
      if (!nodeId.equals(job.getNodeId())) {
        return null;
      }
      tokensAtEnd[0] = Math.max(job.getTrainedTokens(), result.trainedTokens());
      if (job.isCancelRequested()) {
        job.finish(JobStatus.CANCELLED, "Cancelled by user");
        return "Cancelled after " + result.steps() + " steps";
      }
      if ("stopped".equals(result.status())) {
        String reason = result.reason() != null ? result.reason()
            : job.getHoldReason() != null ? job.getHoldReason() : "stopped by the platform";
        job.pause(reason, result.steps(), result.trainedTokens());
        Integer checkpoint = job.getLastCheckpointStep();
        return "Paused after " + result.steps() + " steps"
            + (checkpoint == null ? " with no checkpoint" : " at checkpoint step-" + checkpoint) + ": " + reason;
      }
      if ("succeeded".equals(result.status())) {
        String delivered = job.isFullFineTuning()
            ? ObjectKeys.jobModel(job.getTenantId(), job.getId())
            : ObjectKeys.jobAdapter(job.getTenantId(), job.getId());
        job.succeed(delivered, result.steps(), result.trainedTokens());
        return "Succeeded after " + result.steps() + " steps and " + result.trainedTokens() + " trained tokens";
      }
      String reason = result.reason() == null ? "the node reported a failure without a reason" : result.reason();
      job.finish(JobStatus.FAILED, reason);
      return "Failed: " + reason;
    });
    if (completed) {
      Optional<FineTuneJob> finished = system(() -> jobs.findById(jobId)).filter(job -> job.getStatus().finished());
      transactions.executeWithoutResult(status -> {
        publisher.publishEvent(new JobLeaseEnded(jobId, nodeId, tokensAtEnd[0], Instant.now()));
        finished.ifPresent(job ->
            publisher.publishEvent(new FineTuneFinished(job.getTenantId(), jobId, job.getStatus())));
      });
    }
    return completed;
  }

  /** Paused jobs (stopped at a checkpoint for their tenant's budget), oldest first. */
  public List<FineTuneJob> paused() {
    return system(() -> jobs.findByStatusAndNodeIdIsNullOrderByCreatedAt(JobStatus.PAUSED));
  }

  /**
   * Records why a waiting job is not dispatched. The log gets a line when the job starts to wait;
   * later wordings (the spend in them moves while other jobs run) replace the shown reason
   * quietly, so a job held for hours has one line in its log, not one per dispatch tick.
   */
  public boolean hold(UUID jobId, String reason) {
    Optional<FineTuneJob> found = system(() -> jobs.findById(jobId));
    if (found.isEmpty() || reason.equals(found.get().getHoldReason())) {
      return false;
    }
    if (found.get().getHoldReason() == null) {
      return change(jobId, job -> {
        if (!waiting(job)) {
          return null;
        }
        job.hold(reason);
        return "Not dispatched: " + reason;
      });
    }
    changeQuietly(jobId, job -> {
      if (waiting(job)) {
        job.hold(reason);
      }
    });
    publisher.publishEvent(new FineTuneProgressed(found.get().getTenantId(), jobId));
    return true;
  }

  private static boolean waiting(FineTuneJob job) {
    return job.getNodeId() == null && (job.getStatus() == JobStatus.QUEUED || job.getStatus() == JobStatus.PAUSED);
  }

  /**
   * Asks the node's running job to stop at a checkpoint; returns the reason to send with every
   * heartbeat until the node reports, logging it once.
   */
  public Optional<String> requestStop(UUID nodeId, UUID jobId, String reason) {
    Optional<FineTuneJob> running = runningOn(nodeId, jobId);
    if (running.isEmpty()) {
      return Optional.empty();
    }
    String pending = running.get().getHoldReason();
    if (pending != null) {
      return Optional.of(pending);
    }
    change(jobId, job -> {
      if (job.getHoldReason() != null || job.getStatus() != JobStatus.RUNNING) {
        return null;
      }
      job.hold(reason);
      return "Stopping at a checkpoint: " + reason;
    });
    return Optional.of(reason);
  }

  /** A paused job back in the queue; the lease it gets resumes from its last checkpoint. */
  public boolean resume(UUID jobId, String why) {
    return change(jobId, job -> {
      if (job.getStatus() != JobStatus.PAUSED) {
        return null;
      }
      job.unpause();
      Integer checkpoint = job.getLastCheckpointStep();
      return why + "; back in the queue"
          + (checkpoint == null ? "" : " to resume from checkpoint step-" + checkpoint);
    });
  }

  /** Jobs whose node stopped renewing go back to the queue. */
  public int requeueExpired(Instant now) {
    List<FineTuneJob> expired = system(() -> jobs.findByNodeIdIsNotNullAndLeaseExpiresAtBefore(now));
    int count = 0;
    for (FineTuneJob stale : expired) {
      UUID lostNode = stale.getNodeId();
      long[] tokensAtEnd = {0};
      if (change(stale.getId(), job -> {
        if (job.getLeaseExpiresAt() == null || !job.getLeaseExpiresAt().isBefore(now)) {
          return null;
        }
        tokensAtEnd[0] = job.getTrainedTokens();
        job.requeue();
        return "Its node stopped answering; back in the queue";
      })) {
        count++;
        if (lostNode != null) {
          transactions.executeWithoutResult(status ->
              publisher.publishEvent(new JobLeaseEnded(stale.getId(), lostNode, tokensAtEnd[0], Instant.now())));
        }
      }
    }
    return count;
  }

  private interface Change {
    @Nullable String apply(FineTuneJob job);
  }

  /** Applies a change as the job's tenant and logs it; false when the change declined. */
  private boolean change(UUID jobId, Change change) {
    Optional<FineTuneJob> found = system(() -> jobs.findById(jobId));
    if (found.isEmpty()) {
      return false;
    }
    UUID tenant = found.get().getTenantId();
    Boolean changed = TenantContext.callAs(tenant, () -> transactions.execute(status -> {
      FineTuneJob job = jobs.findById(jobId).orElseThrow();
      String message = change.apply(job);
      if (message == null) {
        return false;
      }
      jobs.save(job);
      events.save(JobEventRecord.log(jobId, message));
      return true;
    }));
    if (Boolean.TRUE.equals(changed)) {
      publisher.publishEvent(new FineTuneProgressed(tenant, jobId));
      return true;
    }
    return false;
  }

  private void changeQuietly(UUID jobId, java.util.function.Consumer<FineTuneJob> change) {
    Optional<FineTuneJob> found = system(() -> jobs.findById(jobId));
    found.ifPresent(f -> TenantContext.runAs(f.getTenantId(), () -> transactions.executeWithoutResult(status -> {
      FineTuneJob job = jobs.findById(jobId).orElseThrow();
      change.accept(job);
      jobs.save(job);
    })));
  }

  private static <T> T system(Supplier<T> work) {
    return TenantContext.callAsSystem(work);
  }
}
