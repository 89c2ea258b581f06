package dev.tuneforge.app.work;

import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A user's run that waits in the queue, runs, and may be queued again after it failed or was
 * cancelled, keeping what it made and when it first started (columns {@code status} and {@code
 * started_at}); an end clears a cancel request.
 */
@MappedSuperclass
public abstract class ResumableRun extends UserRun {
  @Enumerated(EnumType.STRING)
  private RunStatus status;

  private @Nullable Instant startedAt;

  protected ResumableRun() {}

  protected ResumableRun(ActingUser createdBy, Instant createdAt) {
    super(createdBy, createdAt);
    this.status = RunStatus.QUEUED;
  }

  @Override
  public boolean isActive() {
    return status.active();
  }

  @Override
  protected void moveTo(WorkState state, Instant now) {
    status = RunStatus.valueOf(state.name());
    if (state != WorkState.RUNNING) {
      forgetCancelRequest();
    } else if (startedAt == null) {
      startedAt = now;
    }
  }

  /** Back in the queue, its previous end and cancel request forgotten. */
  public void queue() {
    status = RunStatus.QUEUED;
    forgetCancelRequest();
    reopened();
  }

  public RunStatus getStatus() {
    return status;
  }

  public @Nullable Instant getStartedAt() {
    return startedAt;
  }
}
