package dev.tuneforge.app.work;

import java.time.Duration;

/**
 * One kind of background work for a tenant, such as generating a dataset or counting its token
 * lengths. A kind is a Spring bean; {@link WorkRunner#submit} queues a run of it, and the runner
 * calls {@link #run} as the run's tenant once the run is marked started. What the runner does
 * around it: skips runs that are gone or finished, keeps at most {@link #maxConcurrent()} runs
 * on this instance (others come back after {@link #retryAfter()}), and records a failure with
 * its reason on the run.
 *
 * @param <R> the entity that holds a run's state
 */
public interface TenantWork<R extends WorkRun> {

  /** The kind's name: the Quartz group of its runs. Runs in the store refer to it, so it never changes. */
  String kind();

  /** The entity that holds a run's state. */
  Class<R> runType();

  /** Runs of this kind one app instance works on at once (each holds a Quartz thread); 0 for no limit. */
  default int maxConcurrent() {
    return 0;
  }

  /** How long a run waits before it tries again when this instance is busy with as many as allowed. */
  default Duration retryAfter() {
    return Duration.ofSeconds(5);
  }

  /**
   * Does the work of a started run. It saves its results through {@link WorkContext#update}
   * (success is the kind's to record), reports progress and watches for cancellation. A run
   * recovered after its instance died is started again, so the work must be safe to redo.
   *
   * @throws WorkFailed to fail the run with a reason users read, not logged as an error
   * @throws TryLater to run again later, the run unchanged
   * @throws Exception any other failure: logged, and its message recorded on the run
   */
  void run(WorkContext<R> work) throws Exception;

  /** Told after every change the runner or the work saves to a run, e.g. to tell open views. */
  default void changed(R run) {}
}
