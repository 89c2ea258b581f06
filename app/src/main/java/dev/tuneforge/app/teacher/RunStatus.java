package dev.tuneforge.app.teacher;

/** Where a teacher run is; a cancelled or failed run can be resumed. */
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
