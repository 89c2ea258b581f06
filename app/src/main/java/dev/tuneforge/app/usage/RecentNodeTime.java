package dev.tuneforge.app.usage;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Node time each tenant used lately, for dispatch's fair share: the seconds its metered segments
 * (training, evaluation, merges) held nodes inside a window, open segments counted up to now. Reads
 * every tenant's rows, as dispatch does.
 */
@Service
public class RecentNodeTime {
  private final JdbcClient jdbc;

  RecentNodeTime(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Node-seconds per tenant between {@code since} and {@code now}; tenants with none absent. */
  public Map<UUID, Double> between(Instant since, Instant now) {
    Map<UUID, Double> seconds = new HashMap<>();
    jdbc.sql(
            """
            select tenant_id,
                   sum(extract(epoch from least(coalesce(ended_at, :now), :now)
                                          - greatest(started_at, :since))) as seconds
            from usage_record
            where started_at < :now and coalesce(ended_at, :now) > :since
            group by tenant_id
            """)
        .param("now", Timestamp.from(now))
        .param("since", Timestamp.from(since))
        .query(
            (row, n) ->
                seconds.put(row.getObject("tenant_id", UUID.class), row.getDouble("seconds")))
        .list();
    return seconds;
  }
}
