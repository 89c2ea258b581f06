package dev.tuneforge.app.node;

import dev.tuneforge.app.export.ExportLeasing;
import dev.tuneforge.app.finetune.JobLeasing;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Notices a node that started again under its identity, by the boot id its agent sends on each call
 * ({@code Tuneforge-Node-Boot}), and puts the jobs and merges it ran before back in the queue at
 * once, jobs from their last checkpoint as a lapsed lease does, instead of when their leases run
 * out (a merge whose user asked to cancel it ends cancelled instead). A node's first boot id after
 * enrolment (or after an app upgrade) requeues nothing.
 */
@Component
class NodeRestarts {
  private static final int LONGEST_BOOT_ID = 64;

  private final JdbcClient jdbc;
  private final JobLeasing leasing;
  private final ExportLeasing merges;
  private final Clock clock;

  NodeRestarts(JdbcClient jdbc, JobLeasing leasing, ExportLeasing merges, Clock clock) {
    this.jdbc = jdbc;
    this.leasing = leasing;
    this.merges = merges;
    this.clock = clock;
  }

  /**
   * Records the call's boot id; when it replaces another, requeues the node's running jobs and
   * merges.
   *
   * @return how many jobs and merges went back in the queue (or ended, cancelled)
   */
  int requeueIfRestarted(UUID nodeId, @Nullable String boot) {
    if (boot == null || boot.isBlank() || boot.length() > LONGEST_BOOT_ID) {
      return 0;
    }
    // under the row's lock, so of a restarted node's first calls at once only one sees the change
    boolean restarted =
        jdbc.sql(
                "with old as (select boot_id from training_node where id = :node for update)"
                    + " update training_node n set boot_id = :boot from old"
                    + " where n.id = :node and old.boot_id is distinct from :boot"
                    + " returning old.boot_id is not null")
            .param("node", nodeId)
            .param("boot", boot)
            .query(Boolean.class)
            .optional()
            .orElse(false);
    if (!restarted) {
      return 0;
    }
    Instant now = clock.instant();
    return leasing.requeueAfterRestart(nodeId, now) + merges.requeueAfterRestart(nodeId, now);
  }
}
