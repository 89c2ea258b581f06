package dev.tuneforge.app.work;

import java.time.Duration;

/**
 * What the runner knows of a kind of work: its name (the Quartz group of its runs; runs in the
 * store refer to it, so it never changes), the entity that holds a run's state, how many runs one
 * app instance works on at once (each holds a Quartz thread; 0 for no limit) and how long a run
 * waits before it tries again when the instance is busy with as many as allowed.
 */
public record WorkKind<R extends WorkRun>(
    String name, Class<R> runType, int maxConcurrent, Duration retryAfter) {

  /** A kind with no limit on this instance. */
  public static <R extends WorkRun> WorkKind<R> of(String name, Class<R> runType) {
    return new WorkKind<>(name, runType, 0, Duration.ofSeconds(5));
  }

  /**
   * This kind, at most {@code runs} (at least 1) at once on one instance, others back after {@code
   * retryAfter}.
   */
  public WorkKind<R> limitedTo(int runs, Duration retryAfter) {
    return new WorkKind<>(name, runType, Math.max(1, runs), retryAfter);
  }
}
