package dev.tuneforge.app.work;

/** The states the runner moves a run through; each kind's entity maps them onto its own status. */
public enum WorkState {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED
}
