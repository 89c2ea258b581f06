package dev.tuneforge.app.work;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Each tenant's background-work quota counted in the database, so every app replica shares it: the
 * quota's {@code n} slots are PostgreSQL session advisory locks, and a run holds one on a
 * connection of its own while it works. A replica that dies loses its connections, and the database
 * lets their slots go with them.
 */
@Component
class BackgroundSlots {
  private static final Logger log = LoggerFactory.getLogger(BackgroundSlots.class);

  private final DataSource dataSource;

  BackgroundSlots(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A slot a run holds; closing it lets the slot go. */
  static final class Slot implements AutoCloseable {
    private final Connection connection;
    private final long key;

    private Slot(Connection connection, long key) {
      this.connection = connection;
      this.key = key;
    }

    @Override
    public void close() {
      try (connection;
          PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
        unlock.setLong(1, key);
        unlock.execute();
      } catch (SQLException e) {
        // a broken connection is dropped from the pool, and its session's locks with it
        log.warn("Could not let a background slot go: {}", e.getMessage());
      }
    }
  }

  /** Takes a free one of the tenant's {@code limit} slots, if any replica left one. */
  Optional<Slot> take(UUID tenantId, int limit) {
    Connection connection = null;
    try {
      connection = dataSource.getConnection();
      for (int slot = 0; slot < limit; slot++) {
        long key = key(tenantId, slot);
        try (PreparedStatement lock =
                connection.prepareStatement("select pg_try_advisory_lock(?)");
            ResultSet taken = executeWith(lock, key)) {
          if (taken.next() && taken.getBoolean(1)) {
            return Optional.of(new Slot(connection, key));
          }
        }
      }
      connection.close();
      return Optional.empty();
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new IllegalStateException(
          "Could not count the team's background work: " + e.getMessage(), e);
    }
  }

  /** How many of the tenant's first {@code limit} slots runs hold now, on every replica. */
  int held(UUID tenantId, int limit) {
    long[] keys = new long[limit];
    for (int slot = 0; slot < limit; slot++) {
      keys[slot] = key(tenantId, slot);
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement count =
            connection.prepareStatement(
                "select count(*) from pg_locks where locktype = 'advisory' and granted"
                    + " and objsubid = 1 and (classid::bigint << 32 | objid::bigint) = any(?)")) {
      count.setArray(1, connection.createArrayOf("bigint", box(keys)));
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not count the team's background work: " + e.getMessage(), e);
    }
  }

  /** The advisory lock key of one of a tenant's slots: 64 bits of a hash of both. */
  static long key(UUID tenantId, int slot) {
    return UUID.nameUUIDFromBytes(
            ("background-work/" + tenantId + "/" + slot).getBytes(StandardCharsets.UTF_8))
        .getMostSignificantBits();
  }

  private static ResultSet executeWith(PreparedStatement statement, long key) throws SQLException {
    statement.setLong(1, key);
    return statement.executeQuery();
  }

  private static Long[] box(long[] keys) {
    Long[] boxed = new Long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      boxed[i] = keys[i];
    }
    return boxed;
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the failure that brought us here is the one to report
    }
  }
}
