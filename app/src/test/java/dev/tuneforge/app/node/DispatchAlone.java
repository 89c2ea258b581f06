package dev.tuneforge.app.node;

import dev.tuneforge.app.TestNodeApi;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the dispatch tests share on the database other test classes use too: dispatching alone
 * (Quartz's tick paused, every other node offline, every other job ended), CPU nodes enrolled over
 * the node API, and a job's columns.
 */
final class DispatchAlone {
  private final Scheduler scheduler;
  private final JdbcClient jdbc;

  DispatchAlone(Scheduler scheduler, JdbcClient jdbc) {
    this.scheduler = scheduler;
    this.jdbc = jdbc;
  }

  /** Dispatch runs only when the test asks, not also at Quartz's tick (a cluster-wide pause). */
  void begin() throws SchedulerException {
    scheduler.pauseJob(JobKey.jobKey(DispatchJob.NAME));
    jdbc.sql("update training_node set state = 'offline'").update();
    jdbc.sql(
            "update fine_tune_job set status = 'cancelled', node_id = null"
                + " where status in ('queued', 'running')")
        .update();
  }

  void end() throws SchedulerException {
    try {
      if (lock != null) {
        // a pooled connection's session outlives its close, so the lock is let go first
        try (Connection held = lock;
            Statement statement = held.createStatement()) {
          statement.execute("select pg_advisory_unlock(" + DispatchLock.KEY + ")");
        } catch (SQLException e) {
          throw new IllegalStateException("Could not let the dispatch lock go", e);
        } finally {
          lock = null;
        }
      }
    } finally {
      scheduler.resumeJob(JobKey.jobKey(DispatchJob.NAME));
    }
  }

  private @Nullable Connection lock;

  /**
   * Until {@link #end()}, no dispatch of any test context runs: the test holds the dispatch lock in
   * a session of its own and dispatches with {@link Dispatcher#dispatch()} itself. Other contexts
   * sharing the database dispatch when a node of theirs polls or their liveness check finds a
   * silent node, and with their own clock (which other test classes may have moved) they may take
   * the test's queued jobs or find a node the test wrote fresh.
   */
  void holdTheDispatchLock(DataSource dataSource) throws SQLException {
    lock = dataSource.getConnection();
    try (Statement statement = lock.createStatement()) {
      statement.execute("select pg_advisory_lock(" + DispatchLock.KEY + ")");
    }
  }

  /** Enrols a CPU node with 64 GiB; its credential. */
  static String enrolCpuNode(int port, NodeService nodes, String name) throws Exception {
    return new TestNodeApi(port)
        .enrol(
            nodes.issueEnrolmentTokenForLocalNode(),
            name + "-" + UUID.randomUUID(),
            "{\"device\":\"cpu\",\"deviceName\":\"CPU\",\"memoryBytes\":"
                + (64L << 30)
                + ",\"cpuCores\":8}");
  }

  /** One column of the job's row; null when it holds none. */
  <T> @Nullable T column(String name, UUID job, Class<T> type) {
    return jdbc.sql("select " + name + " from fine_tune_job where id = ?")
        .param(job)
        .query(type)
        .optional()
        .orElse(null);
  }
}
