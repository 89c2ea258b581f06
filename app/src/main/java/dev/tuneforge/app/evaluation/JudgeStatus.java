package dev.tuneforge.app.evaluation;

/**
 * Where a judge run is; a cancelled or failed run can be started again and keeps its judgements.
 */
public enum JudgeStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean active() {
    return this == QUEUED || this == RUNNING;
  }
}
