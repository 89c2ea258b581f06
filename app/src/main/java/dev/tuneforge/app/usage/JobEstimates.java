package dev.tuneforge.app.usage;

import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The estimates stored at launch and at dispatch (table {@code job_estimate}), always read and
 * written for one tenant named in the query, never across tenants.
 */
@Component
class JobEstimates {
  private final JdbcClient jdbc;
  private final Clock clock;

  JobEstimates(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** When an estimate was made: at launch for every known node class, at dispatch for one. */
  enum Moment {
    LAUNCH,
    DISPATCH;

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * What an estimate was of, for later estimates to scale from: the model's size, the method, the
   * held-out examples and the multiply-adds per trained token ({@link TokenWork}).
   */
  record Shape(long parameters, String method, int examples, double workPerToken) {}

  /** Stores the estimate; the first one of a job, moment and node class is kept. */
  void save(UUID jobId, Moment moment, Estimate e, Shape shape) {
    jdbc.sql(
            """
            insert into job_estimate (tenant_id, job_id, moment, node_class, base_model_params,
                method, steps, trained_tokens, evaluation_examples, generated_tokens, seconds,
                cost, currency, basis, created_at, work_per_token)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (job_id, moment, node_class) do nothing
            """)
        .params(
            TenantContext.requireTenant(),
            jobId,
            moment.code(),
            e.nodeClass(),
            shape.parameters(),
            shape.method(),
            e.steps(),
            e.tokens(),
            shape.examples(),
            e.generatedTokens(),
            e.seconds(),
            e.cost(),
            e.currency(),
            clip(e.describe()),
            java.sql.Timestamp.from(clock.instant()),
            shape.workPerToken())
        .update();
  }

  /**
   * The calling tenant's jobs among {@code jobIds} that hold no node now, each with its estimate
   * for the class of the node it last trained on (the one made at dispatch, else the one made at
   * launch), beside its metered training and evaluation.
   */
  List<EstimateComparison> comparisons(Collection<UUID> jobIds) {
    if (jobIds.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            select distinct on (e.job_id)
                   e.job_id, e.node_class, e.seconds, e.cost, e.currency, m.seconds, m.cost,
                   e.moment
            from job_estimate e
            join (select job_id, sum(seconds) as seconds, sum(cost) as cost,
                         (array_agg(node_class order by started_at desc)
                            filter (where kind = 'training'))[1] as node_class,
                         count(*) filter (where ended_at is null) as open
                  from usage_record
                  where tenant_id = :tenant and kind in ('training', 'evaluation')
                    and job_id in (:jobs)
                  group by job_id) m
              on m.job_id = e.job_id and m.node_class = e.node_class and m.open = 0
            where e.tenant_id = :tenant
            order by e.job_id, e.moment = 'dispatch' desc
            """)
        .param("tenant", TenantContext.requireTenant())
        .param("jobs", List.copyOf(jobIds))
        .query(
            (rs, row) ->
                new EstimateComparison(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getLong(3),
                    rs.getBigDecimal(4),
                    rs.getLong(6),
                    rs.getBigDecimal(7),
                    rs.getString(5),
                    rs.getString(8)))
        .list();
  }

  private static String clip(String text) {
    return text.length() > 2000 ? text.substring(0, 2000) : text;
  }
}
