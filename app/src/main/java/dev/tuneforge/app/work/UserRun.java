package dev.tuneforge.app.work;

import jakarta.persistence.Embedded;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/**
 * A run a user started: its work stores what it makes in their name, and they may ask it to stop.
 */
@MappedSuperclass
public abstract class UserRun extends WorkRun {
  @Embedded private ActingUser createdBy;
  private boolean cancelRequested;

  protected UserRun() {}

  protected UserRun(ActingUser createdBy, Instant createdAt) {
    super(createdAt);
    this.createdBy = createdBy;
  }

  @Override
  public ActingUser actingUser() {
    return createdBy;
  }

  @Override
  public boolean isCancelRequested() {
    return cancelRequested;
  }

  /** Asks the running work to stop; it sees this through {@link WorkContext#cancelRequested()}. */
  public void requestCancel() {
    cancelRequested = true;
  }

  protected final void forgetCancelRequest() {
    cancelRequested = false;
  }
}
