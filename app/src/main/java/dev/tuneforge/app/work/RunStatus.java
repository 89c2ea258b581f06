package dev.tuneforge.app.work;

/** Where a user's run is ({@link ResumableRun}); a cancelled or failed run can be resumed. */
public enum RunStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean active() {
    return this == QUEUED || this == RUNNING;
  }
}
