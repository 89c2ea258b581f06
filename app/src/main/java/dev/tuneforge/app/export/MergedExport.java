package dev.tuneforge.app.export;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * The merged model of one LoRA job, computed on a training node: {@value #QUEUED} until dispatch
 * gives it to a free node, {@value #RUNNING} while the node holds its lease (renewed by heartbeats;
 * a lost or restarted node puts it back in the queue), then {@value #SUCCEEDED} or {@value
 * #FAILED}. The user can cancel it: a queued one ends {@value #CANCELLED} at once, a running one is
 * marked {@code cancelRequested} (its node hears so with its next heartbeat) and ends {@value
 * #CANCELLED} when its node reports, whatever it reports, or loses its lease. A failed or cancelled
 * one can be started again. Each change checks the state and, for a node, that it holds the merge.
 */
@Entity
@Table(name = "merged_export")
public class MergedExport {
  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";
  private static final String WAITING = "Waiting for a free training node";

  @Id private UUID id;
  @TenantId private UUID tenantId;
  private UUID jobId;
  private String status;
  private @Nullable UUID nodeId;
  private @Nullable Instant leaseExpiresAt;
  private @Nullable UUID leaseId;
  private int done;
  private int total;
  private @Nullable String message;
  private @Nullable String error;
  private UUID createdBy;
  private Instant createdAt;
  private @Nullable Instant startedAt;
  private @Nullable Instant finishedAt;
  private boolean cancelRequested;

  protected MergedExport() {}

  MergedExport(UUID jobId, UUID createdBy, Instant now) {
    this.id = UUID.randomUUID();
    this.jobId = jobId;
    this.createdBy = createdBy;
    this.status = QUEUED;
    this.createdAt = now;
    this.message = WAITING;
  }

  /** A failed or cancelled merge starts over; false for one queued, running or done. */
  boolean restart(UUID by, Instant now) {
    if (!FAILED.equals(status) && !CANCELLED.equals(status)) {
      return false;
    }
    cancelRequested = false;
    status = QUEUED;
    createdBy = by;
    createdAt = now;
    error = null;
    done = 0;
    total = 0;
    message = WAITING;
    startedAt = null;
    finishedAt = null;
    return true;
  }

  boolean assign(UUID node, Instant leaseUntil) {
    if (!QUEUED.equals(status) || nodeId != null) {
      return false;
    }
    nodeId = node;
    leaseExpiresAt = leaseUntil;
    leaseId = UUID.randomUUID();
    return true;
  }

  boolean start(UUID node, Instant leaseUntil, Instant now) {
    if (!QUEUED.equals(status) || !node.equals(nodeId)) {
      return false;
    }
    status = RUNNING;
    leaseExpiresAt = leaseUntil;
    startedAt = now;
    message = "Merging on a training node";
    return true;
  }

  boolean renew(UUID node, Instant leaseUntil) {
    if (!runningOn(node)) {
      return false;
    }
    leaseExpiresAt = leaseUntil;
    return true;
  }

  boolean progress(UUID node, @Nullable Integer doneSoFar, @Nullable Integer of, String line) {
    if (!runningOn(node)) {
      return false;
    }
    if (doneSoFar != null && of != null) {
      done = doneSoFar;
      total = of;
    }
    message = line.length() > 2000 ? line.substring(0, 2000) : line;
    return true;
  }

  /** The node's report; a merge the user asked to cancel ends cancelled, whatever it reports. */
  boolean finish(UUID node, boolean succeeded, @Nullable String reason, Instant now) {
    if (!node.equals(nodeId) || !(QUEUED.equals(status) || RUNNING.equals(status))) {
      return false;
    }
    if (cancelRequested) {
      cancelled(now);
      return true;
    }
    status = succeeded ? SUCCEEDED : FAILED;
    error = succeeded ? null : fit(reason == null ? "the merge failed" : reason);
    message = succeeded ? "Merged model ready" : "The merge failed";
    nodeId = null;
    leaseExpiresAt = null;
    finishedAt = now;
    return true;
  }

  /**
   * Its node stopped answering: back in the queue for the next free node, or cancelled when the
   * user asked for that.
   */
  boolean expire(Instant now) {
    if (nodeId == null || leaseExpiresAt == null || !leaseExpiresAt.isBefore(now)) {
      return false;
    }
    return requeue("Its node stopped answering; waiting for another training node", now);
  }

  /**
   * Its node started again and no longer runs it: back in the queue at once rather than when the
   * lease runs out, or cancelled when the user asked for that.
   */
  boolean nodeRestarted(UUID node, Instant now) {
    if (!runningOn(node)) {
      return false;
    }
    return requeue("Its node started again; waiting for a training node", now);
  }

  private boolean requeue(String why, Instant now) {
    if (cancelRequested) {
      cancelled(now);
      return true;
    }
    status = QUEUED;
    nodeId = null;
    leaseExpiresAt = null;
    done = 0;
    message = why;
    return true;
  }

  /**
   * The user's cancel: a queued merge (one assigned to a node that has not started it too) ends at
   * once; a running one is marked, and its node is told to stop with its next heartbeat. False for
   * a merge that already ended.
   */
  boolean cancel(Instant now) {
    if (QUEUED.equals(status)) {
      cancelled(now);
      return true;
    }
    if (!RUNNING.equals(status)) {
      return false;
    }
    cancelRequested = true;
    message = "Cancelling: its training node stops before uploading the merged model";
    return true;
  }

  private void cancelled(Instant now) {
    status = CANCELLED;
    message = "Cancelled";
    error = null;
    nodeId = null;
    leaseExpiresAt = null;
    finishedAt = now;
  }

  private boolean runningOn(UUID node) {
    return RUNNING.equals(status) && node.equals(nodeId);
  }

  private static String fit(String text) {
    return text.length() > 4000 ? text.substring(0, 4000) : text;
  }

  public UUID getId() {
    return id;
  }

  public UUID getTenantId() {
    return tenantId;
  }

  public UUID getJobId() {
    return jobId;
  }

  public String getStatus() {
    return status;
  }

  public boolean finished() {
    return SUCCEEDED.equals(status) || FAILED.equals(status) || CANCELLED.equals(status);
  }

  /** The user cancelled it while it ran; its node stops with its next heartbeat. */
  public boolean isCancelRequested() {
    return cancelRequested;
  }

  /**
   * The holding its node has, or the last one it had: new at each assignment; the merged files go
   * to its folder ({@code ObjectKeys.jobMerged}). Null for a merge never assigned, or assigned
   * before holdings had ids.
   */
  public @Nullable UUID getLeaseId() {
    return leaseId;
  }

  public @Nullable UUID getNodeId() {
    return nodeId;
  }

  public int getDone() {
    return done;
  }

  public int getTotal() {
    return total;
  }

  public @Nullable String getMessage() {
    return message;
  }

  public @Nullable String getError() {
    return error;
  }

  public UUID getCreatedBy() {
    return createdBy;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
