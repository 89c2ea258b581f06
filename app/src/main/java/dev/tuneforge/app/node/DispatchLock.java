package dev.tuneforge.app.node;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * One dispatch at a time across every app replica on the database: a PostgreSQL transaction-scoped
 * advisory lock, held by a transaction of its own on a connection of its own while dispatch runs.
 * Dispatch's own changes commit in their own transactions before the lock is let go, so the next
 * replica's dispatch sees every lease this one wrote; a replica that dies mid-dispatch loses its
 * connection, and with it the lock.
 */
@Component
class DispatchLock {
  /** The advisory lock's key, the bytes of "tf-dispa"; no other lock of the app uses it. */
  static final long KEY = 0x74662d6469737061L;

  private final DataSource dataSource;

  DispatchLock(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Waits until no other dispatch runs anywhere, then runs {@code dispatch} under the lock.
   *
   * @throws IllegalStateException when the database cannot be reached
   */
  int exclusively(IntSupplier dispatch) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        try (PreparedStatement lock =
            connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
          lock.setLong(1, KEY);
          lock.execute();
        }
        return dispatch.getAsInt();
      } finally {
        // the lock's transaction wrote nothing; ending it lets the lock go
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not take the dispatch lock: " + e.getMessage(), e);
    }
  }
}
