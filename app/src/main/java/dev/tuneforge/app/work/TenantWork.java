package dev.tuneforge.app.work;

/**
 * One kind of background work for a tenant, such as generating a dataset or counting its token
 * lengths: a Spring bean whose {@link #kind()} names it. {@link WorkRunner#submit} queues a run of
 * it, and the runner calls {@link #run} as the run's tenant once the run is marked started. What
 * the runner does around it: skips runs that are gone or finished, keeps at most the kind's limit
 * of runs on this instance (others come back later), and records a failure with its reason on the
 * run.
 *
 * @param <R> the entity that holds a run's state
 */
public interface TenantWork<R extends WorkRun> {

  WorkKind<R> kind();

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
