package dev.tuneforge.app.finetune;

import dev.tuneforge.app.usage.StepSpans;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A finished job's steps in time, from its first and last step metrics (stamped by the node's
 * clock): the first step began its own duration (tokens ÷ tokens per second) before its metric.
 * Across tenants, for estimates that learn speeds from every job of a node class; a span says
 * nothing about the job's data. Spans of finished jobs do not change, so each is kept.
 */
@Component
class JobStepSpans implements StepSpans {
  private final JdbcClient jdbc;
  private final Map<UUID, Optional<StepSpan>> known = new ConcurrentHashMap<>();

  JobStepSpans(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  private record Metric(Instant at, int step, long tokens, double tokensPerSecond) {}

  @Override
  public Optional<StepSpan> of(UUID jobId) {
    Optional<StepSpan> found = known.get(jobId);
    if (found != null) {
      return found;
    }
    Optional<StepSpan> span = span(jobId);
    if (span.isPresent()) {
      known.put(jobId, span);
    }
    return span;
  }

  private Optional<StepSpan> span(UUID jobId) {
    Optional<Metric> first = metric(jobId, "asc");
    Optional<Metric> last = metric(jobId, "desc");
    if (first.isEmpty() || last.isEmpty() || first.get().step() != 1) {
      return Optional.empty();
    }
    Metric start = first.get();
    if (!(start.tokensPerSecond() > 0)) {
      return Optional.empty();
    }
    Instant began =
        start.at().minusMillis(Math.round(start.tokens() / start.tokensPerSecond() * 1000));
    return Optional.of(new StepSpan(Duration.between(began, last.get().at()), last.get().tokens()));
  }

  private Optional<Metric> metric(UUID jobId, String order) {
    return jdbc.sql(
            "select at, step, tokens, tokens_per_second from job_event where job_id = ?"
                + " and type = 'metric' and tokens is not null order by id "
                + order
                + " limit 1")
        .param(jobId)
        .query(
            (rs, row) ->
                new Metric(
                    rs.getTimestamp(1).toInstant(), rs.getInt(2), rs.getLong(3), rs.getDouble(4)))
        .optional();
  }
}
