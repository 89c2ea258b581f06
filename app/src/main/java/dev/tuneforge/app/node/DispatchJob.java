package dev.tuneforge.app.node;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Quartz's periodic dispatch, for what no poll or event asked for (a budget raised, a new month);
 * the clustered store fires it on one replica per tick.
 */
@DisallowConcurrentExecution
class DispatchJob implements Job {
  static final String NAME = "dispatch";

  private final Dispatcher dispatcher;

  DispatchJob(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public void execute(JobExecutionContext context) {
    dispatcher.dispatchExclusively();
  }
}
