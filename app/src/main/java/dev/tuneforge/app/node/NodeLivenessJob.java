package dev.tuneforge.app.node;

import dev.tuneforge.app.export.ExportLeasing;
import dev.tuneforge.app.finetune.JobLeasing;
import java.time.Clock;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks silent nodes offline and puts the jobs whose lease ran out back in the queue, so that
 * nothing a user submitted is lost with a node.
 */
@DisallowConcurrentExecution
class NodeLivenessJob implements Job {
  static final String NAME = "node-liveness";
  private static final Logger log = LoggerFactory.getLogger(NodeLivenessJob.class);

  private final NodeService nodes;
  private final JobLeasing leasing;
  private final ExportLeasing merges;
  private final Dispatcher dispatcher;
  private final Clock clock;

  NodeLivenessJob(
      NodeService nodes,
      JobLeasing leasing,
      ExportLeasing merges,
      Dispatcher dispatcher,
      Clock clock) {
    this.nodes = nodes;
    this.leasing = leasing;
    this.merges = merges;
    this.dispatcher = dispatcher;
    this.clock = clock;
  }

  @Override
  public void execute(JobExecutionContext context) {
    int offline = nodes.markSilentNodesOffline();
    int requeued = leasing.requeueExpired(clock.instant()) + merges.requeueExpired(clock.instant());
    if (offline > 0 || requeued > 0) {
      log.info("{} nodes went offline; {} jobs back in the queue", offline, requeued);
      dispatcher.dispatchSoon();
    }
  }
}
