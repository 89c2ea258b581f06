package dev.tuneforge.app.work;

import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * The state every run of background work shares: its tenant, why it failed, when it was asked for
 * and when it ended. Each kind's entity adds its own status and what its work produces, and says
 * how the runner's transitions map onto its status.
 */
@MappedSuperclass
public abstract class WorkRun {
  /** The error column's width. */
  static final int MAX_ERROR = 2000;

  @Id private UUID id;
  @TenantId private UUID tenantId;
  private @Nullable String error;
  private Instant createdAt;
  private @Nullable Instant finishedAt;

  protected WorkRun() {}

  protected WorkRun(Instant createdAt) {
    this.id = UUID.randomUUID();
    this.createdAt = createdAt;
  }

  /** Not finished yet: queued or running. The runner starts and changes only active runs. */
  public abstract boolean isActive();

  /**
   * A user asked the run to stop; the work sees it through {@link WorkContext#cancelRequested()}.
   */
  public boolean isCancelRequested() {
    return false;
  }

  /** The user in whose name the work stores what it makes; none for work no user started. */
  public @Nullable ActingUser actingUser() {
    return null;
  }

  /**
   * Sets the kind's own status for {@code state}, and what goes with it (e.g. when it started);
   * {@link WorkState#RUNNING} also when the runner takes a run up again after a restart.
   */
  protected abstract void moveTo(WorkState state, Instant now);

  /** The runner took the run up. */
  public final void start(Instant now) {
    moveTo(WorkState.RUNNING, now);
  }

  public final void succeed(Instant now) {
    end(WorkState.SUCCEEDED, null, now);
  }

  public final void fail(String reason, Instant now) {
    end(WorkState.FAILED, reason, now);
  }

  public final void cancel(String reason, Instant now) {
    end(WorkState.CANCELLED, reason, now);
  }

  /** Records the end, with the reason (cut to the column's width) if it did not succeed. */
  private void end(WorkState outcome, @Nullable String reason, Instant now) {
    moveTo(outcome, now);
    error =
        reason == null || reason.length() <= MAX_ERROR
            ? reason
            : reason.substring(0, MAX_ERROR - 1) + "…";
    finishedAt = now;
  }

  /** Forgets a previous end, for a run queued again. */
  protected final void reopened() {
    error = null;
    finishedAt = null;
  }

  public UUID getId() {
    return id;
  }

  public UUID getTenantId() {
    return tenantId;
  }

  public @Nullable String getError() {
    return error;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public @Nullable Instant getFinishedAt() {
    return finishedAt;
  }
}
