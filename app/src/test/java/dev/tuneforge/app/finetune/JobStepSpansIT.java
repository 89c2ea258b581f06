package dev.tuneforge.app.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.usage.StepSpans.StepSpan;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The spans of many finished jobs come from one look at their step metrics in PostgreSQL: each job
 * its own first and last metric, a resumed job and one without metrics left out, and a span once
 * found kept while one not yet known is looked for again.
 */
class JobStepSpansIT {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static JdbcClient jdbc;
  private static TestRows rows;

  @BeforeAll
  static void migratedDatabase() {
    DataSource database = TestDatabase.postgres().getPostgresDatabase();
    Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(database);
    rows = new TestRows(jdbc);
  }

  @Test
  void manyJobsSpansInOneLookEachFromItsOwnFirstAndLastMetric() {
    UUID tenant = rows.tenant("spans");
    UUID user = rows.user(tenant, "spans-" + UUID.randomUUID());
    UUID model = rows.model("spans-" + UUID.randomUUID());
    UUID version = rows.datasetVersion(tenant, user, 10, 1_000);
    UUID steady = rows.job(tenant, user, model, version, "steady", "succeeded");
    UUID oneStep = rows.job(tenant, user, model, version, "one step", "succeeded");
    UUID resumed = rows.job(tenant, user, model, version, "resumed", "succeeded");
    UUID silent = rows.job(tenant, user, model, version, "no metrics", "succeeded");
    UUID later = rows.job(tenant, user, model, version, "metrics come later", "running");

    metric(tenant, steady, 1, T0, 100, 25);
    metric(tenant, steady, 5, T0.plusSeconds(2), 500, 200);
    metric(tenant, steady, 10, T0.plusSeconds(9), 1_000, 100);
    metric(tenant, oneStep, 1, T0, 100, 50);
    metric(tenant, resumed, 7, T0, 700, 100);
    metric(tenant, resumed, 10, T0.plusSeconds(3), 1_000, 100);

    JobStepSpans spans = new JobStepSpans(jdbc);
    assertThat(spans.of(List.of(steady, oneStep, resumed, silent, later, steady)))
        .as("steps 2 to 10 of one, the single step of the other; none for the rest")
        .containsOnly(
            Map.entry(steady, new StepSpan(Duration.ofSeconds(9), 900)),
            Map.entry(oneStep, new StepSpan(Duration.ofSeconds(2), 100)));

    jdbc.sql("delete from job_event where job_id = ?").param(steady).update();
    metric(tenant, later, 1, T0, 100, 100);
    metric(tenant, later, 3, T0.plusSeconds(4), 300, 50);
    assertThat(spans.of(List.of(steady, later)))
        .as("a found span is kept; a job without one is looked at again")
        .containsOnly(
            Map.entry(steady, new StepSpan(Duration.ofSeconds(9), 900)),
            Map.entry(later, new StepSpan(Duration.ofSeconds(4), 200)));
    assertThat(spans.of(List.of())).isEmpty();
  }

  private static void metric(
      UUID tenant, UUID job, int step, Instant at, long tokens, double perSecond) {
    jdbc.sql(
            "insert into job_event (tenant_id, job_id, at, type, step, total_steps, loss,"
                + " tokens_per_second, tokens) values (?, ?, ?, 'metric', ?, 10, 1.0, ?, ?)")
        .params(tenant, job, Timestamp.from(at), step, perSecond, tokens)
        .update();
  }
}
