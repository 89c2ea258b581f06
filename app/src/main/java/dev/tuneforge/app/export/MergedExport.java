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
 * a lost node puts it back in the queue), then {@value #SUCCEEDED} or {@value #FAILED}. A failed
 * one can be started again. Each change checks the state and, for a node, that it holds the merge.
 */
@Entity
@Table(name = "merged_export")
public class MergedExport {
  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  @Id private UUID id;
  @TenantId private UUID tenantId;
  private UUID jobId;
  private String status;
  private @Nullable UUID nodeId;
  private @Nullable Instant leaseExpiresAt;
  private int done;
  private int total;
  private @Nullable String message;
  private @Nullable String error;
  private UUID createdBy;
  private Instant createdAt;
  private @Nullable Instant startedAt;
  private @Nullable Instant finishedAt;

  protected MergedExport() {}

  MergedExport(UUID jobId, UUID createdBy, Instant now) {
    this.id = UUID.randomUUID();
    this.jobId = jobId;
    this.createdBy = createdBy;
    this.status = QUEUED;
    this.createdAt = now;
    this.message = "Waiting for a free training node";
  }

  /** A failed merge starts over; false for one queued, running or done. */
  boolean restart(UUID by, Instant now) {
    if (!FAILED.equals(status)) {
      return false;
    }
    status = QUEUED;
    createdBy = by;
    createdAt = now;
    error = null;
    done = 0;
    total = 0;
    message = "Waiting for a free training node";
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

  boolean finish(UUID node, boolean succeeded, @Nullable String reason, Instant now) {
    if (!node.equals(nodeId) || !(QUEUED.equals(status) || RUNNING.equals(status))) {
      return false;
    }
    status = succeeded ? SUCCEEDED : FAILED;
    error = succeeded ? null : fit(reason == null ? "the merge failed" : reason);
    message = succeeded ? "Merged model ready" : "The merge failed";
    nodeId = null;
    leaseExpiresAt = null;
    finishedAt = now;
    return true;
  }

  /** Its node stopped answering: back in the queue for the next free node. */
  boolean expire(Instant now) {
    if (nodeId == null || leaseExpiresAt == null || !leaseExpiresAt.isBefore(now)) {
      return false;
    }
    status = QUEUED;
    nodeId = null;
    leaseExpiresAt = null;
    done = 0;
    message = "Its node stopped answering; waiting for another training node";
    return true;
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
    return SUCCEEDED.equals(status) || FAILED.equals(status);
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
