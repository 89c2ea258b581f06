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
    boolean completed = change(jobId, job -> {
      if (!nodeId.equals(job.getNodeId())) {
        return null;
      }
      if (job.isCancelRequested()) {
        job.finish(JobStatus.CANCELLED, "Cancelled by user");
        return "Cancelled after " + result.steps() + " steps";
      }
      if ("succeeded".equals(result.status())) {
        job.succeed(ObjectKeys.jobAdapter(job.getTenantId(), job.getId()), result.steps(), result.trainedTokens());
        return "Succeeded after " + result.steps() + " steps and " + result.trainedTokens() + " trained tokens";
      }
      String reason = result.reason() == null ? "the node reported a failure without a reason" : result.reason();
      job.finish(JobStatus.FAILED, reason);
      return "Failed: " + reason;
    });
    if (completed) {
      system(() -> jobs.findById(jobId)).ifPresent(job ->
          publisher.publishEvent(new FineTuneFinished(job.getTenantId(), jobId, job.getStatus())));
    }
    return completed;
  }

  /** Jobs whose node stopped renewing go back to the queue. */
  public int requeueExpired(Instant now) {
    List<FineTuneJob> expired = system(() -> jobs.findByNodeIdIsNotNullAndLeaseExpiresAtBefore(now));
    int count = 0;
    for (FineTuneJob stale : expired) {
      if (change(stale.getId(), job -> {
        if (job.getLeaseExpiresAt() == null || !job.getLeaseExpiresAt().isBefore(now)) {
          return null;
        }
        job.requeue();
        return "Its node stopped answering; back in the queue";
      })) {
        count++;
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
