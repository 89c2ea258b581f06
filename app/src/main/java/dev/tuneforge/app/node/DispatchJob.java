package dev.tuneforge.app.node;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Quartz's periodic dispatch; also triggered on every submission. */
@DisallowConcurrentExecution
class DispatchJob implements Job {
  static final String NAME = "dispatch";

  private final Dispatcher dispatcher;

  DispatchJob(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public void execute(JobExecutionContext context) {
    dispatcher.dispatch();
  }
}
