package dev.tuneforge.app.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Gauges read from the database, so that every replica reports the platform's state, not its own:
 * queued fine-tunes per tenant ({@code tuneforge_finetunes_queued}) and training nodes per state
 * ({@code tuneforge_nodes}). Read every {@code tuneforge.metrics.refresh} rather than at each
 * scrape, so that scrapes stay cheap and never wait for the database.
 */
@Component
class PlatformGauges implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(PlatformGauges.class);

  private final JdbcClient jdbc;
  private final MetricsProperties properties;
  private final MultiGauge queued;
  private final MultiGauge nodes;
  private @Nullable ScheduledExecutorService timer;

  PlatformGauges(JdbcClient jdbc, MetricsProperties properties, MeterRegistry registry) {
    this.jdbc = jdbc;
    this.properties = properties;
    this.queued =
        MultiGauge.builder("tuneforge.finetunes.queued")
            .description("Fine-tunes waiting for a node, per tenant")
            .register(registry);
    this.nodes =
        MultiGauge.builder("tuneforge.nodes")
            .description("Enrolled training nodes per state")
            .register(registry);
  }

  void refresh() {
    try {
      // Every tenant gets a series, 0 when nothing waits, so that dashboards show a flat line.
      queued.register(
          jdbc.sql(
                  """
                  select t.name, count(j.id) from tenant t
                  left join fine_tune_job j on j.tenant_id = t.id and j.status = 'queued'
                  group by t.name""")
              .query(
                  (rs, n) -> MultiGauge.Row.of(Tags.of("tenant", rs.getString(1)), rs.getLong(2)))
              .list(),
          true);
      nodes.register(
          jdbc.sql("select state, count(*) from training_node group by state")
              .query((rs, n) -> MultiGauge.Row.of(Tags.of("state", rs.getString(1)), rs.getLong(2)))
              .list(),
          true);
    } catch (DataAccessException e) {
      log.warn("Queue and node gauges not refreshed: {}", e.getMessage());
    }
  }

  @Override
  public void start() {
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().name("metrics-gauges").daemon().unstarted(runnable));
    long every = properties.refresh().toMillis();
    started.scheduleWithFixedDelay(this::refresh, 0, every, TimeUnit.MILLISECONDS);
    timer = started;
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  @Override
  public boolean isRunning() {
    return timer != null;
  }
}
