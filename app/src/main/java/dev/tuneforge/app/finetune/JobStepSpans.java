package dev.tuneforge.app.finetune;

import dev.tuneforge.app.usage.StepSpans;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A finished job's steps in time, from its first and last step metrics (stamped by the node's
 * clock): its steady steps, after the first (see {@link #span(Metric, Metric)}). Across tenants,
 * for estimates that learn speeds from every job of a node class; a span says nothing about the
 * job's data. Spans of finished jobs do not change, so each found is kept; those not yet known are
 * read in one query.
 */
@Component
class JobStepSpans implements StepSpans {
  private final JdbcClient jdbc;
  private final Map<UUID, StepSpan> known = new ConcurrentHashMap<>();

  JobStepSpans(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A step's metric: when the node sent it, the step, tokens trained so far and the step's speed.
   */
  record Metric(Instant at, int step, long tokens, double tokensPerSecond) {}

  @Override
  public Map<UUID, StepSpan> of(Collection<UUID> jobIds) {
    Map<UUID, StepSpan> spans = new HashMap<>();
    List<UUID> unknown = new ArrayList<>();
    for (UUID job : new LinkedHashSet<>(jobIds)) {
      StepSpan span = known.get(job);
      if (span != null) {
        spans.put(job, span);
      } else {
        unknown.add(job);
      }
    }
    if (!unknown.isEmpty()) {
      firstAndLastMetrics(unknown)
          .forEach(
              (job, ends) ->
                  span(ends.getFirst(), ends.getLast())
                      .ifPresent(
                          span -> {
                            known.put(job, span);
                            spans.put(job, span);
                          }));
    }
    return spans;
  }

  /**
   * The steady part of a run that began at step 1: from the end of the first step to the end of the
   * last, with the tokens trained in between. The first step is left out, as it also warms the
   * engine up (allocations, kernels chosen on first use) and takes longer than the others; its
   * extra time counts as start-up. A run of one step spans that step, from when it began.
   */
  static Optional<StepSpan> span(Metric first, Metric last) {
    if (first.step() != 1) {
      return Optional.empty();
    }
    if (last.step() > first.step()) {
      return Optional.of(
          new StepSpan(Duration.between(first.at(), last.at()), last.tokens() - first.tokens()));
    }
    if (!(first.tokensPerSecond() > 0)) {
      return Optional.empty();
    }
    Instant began =
        first.at().minusMillis(Math.round(first.tokens() / first.tokensPerSecond() * 1000));
    return Optional.of(new StepSpan(Duration.between(began, first.at()), first.tokens()));
  }

  /** The first and last step metric of each of the jobs that has any, in one query. */
  private Map<UUID, List<Metric>> firstAndLastMetrics(List<UUID> jobIds) {
    Map<UUID, List<Metric>> ends = new HashMap<>();
    jdbc.sql(
            """
            select j.id, f.at, f.step, f.tokens, f.tokens_per_second,
                   l.at, l.step, l.tokens, l.tokens_per_second
            from unnest(?::uuid[]) as j(id)
            cross join lateral (select at, step, tokens, tokens_per_second from job_event
                                where job_id = j.id and type = 'metric' and tokens is not null
                                order by id limit 1) f
            cross join lateral (select at, step, tokens, tokens_per_second from job_event
                                where job_id = j.id and type = 'metric' and tokens is not null
                                order by id desc limit 1) l
            """)
        .param(jobIds.stream().map(UUID::toString).toArray(String[]::new))
        .query(
            rs -> {
              ends.put(rs.getObject(1, UUID.class), List.of(metric(rs, 2), metric(rs, 6)));
            });
    return ends;
  }

  private static Metric metric(ResultSet rs, int from) throws SQLException {
    return new Metric(
        rs.getTimestamp(from).toInstant(),
        rs.getInt(from + 1),
        rs.getLong(from + 2),
        rs.getDouble(from + 3));
  }
}
