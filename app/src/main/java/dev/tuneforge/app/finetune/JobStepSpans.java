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
 * clock): its steady steps, after the first (see {@link #span(Metric, Metric)}). Across tenants,
 * for estimates that learn speeds from every job of a node class; a span says nothing about the
 * job's data. Spans of finished jobs do not change, so each is kept.
 */
@Component
class JobStepSpans implements StepSpans {
  private final JdbcClient jdbc;
  private final Map<UUID, Optional<StepSpan>> known = new ConcurrentHashMap<>();

  JobStepSpans(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A step's metric: when the node sent it, the step, tokens trained so far and the step's speed.
   */
  record Metric(Instant at, int step, long tokens, double tokensPerSecond) {}

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
    return first.isEmpty() || last.isEmpty() ? Optional.empty() : span(first.get(), last.get());
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
