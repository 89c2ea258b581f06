package dev.tuneforge.app.work;

/** Ends a run as failed, its message recorded as the reason users read. */
public class WorkFailed extends RuntimeException {
  public WorkFailed(String reason) {
    super(reason);
  }
}
