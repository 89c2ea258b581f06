package dev.tuneforge.app.observability;

import dev.tuneforge.app.database.AfterCommit;
import dev.tuneforge.app.dataset.DatasetVersionStored;
import dev.tuneforge.app.finetune.FineTuneFinished;
import dev.tuneforge.app.finetune.JobStatus;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Counts what happened on this replica once it is committed: how long finished fine-tunes took
 * ({@code tuneforge_finetune_duration_seconds}, by final status) and how many bytes of dataset
 * versions were stored ({@code tuneforge_dataset_stored_bytes}). Prometheus sums the replicas.
 * Plain listeners that count after commit ({@link AfterCommit}): a count needs no record of its
 * event, and one lost in a crash is lost with the replica's other counts.
 */
@Component
class JobMetrics {
  private final JdbcClient jdbc;
  private final Map<JobStatus, Timer> durations = new EnumMap<>(JobStatus.class);
  private final DistributionSummary datasetBytes;

  // Registered up front, so that every series exists (at 0) before the first job or dataset.
  JobMetrics(JdbcClient jdbc, MeterRegistry registry) {
    this.jdbc = jdbc;
    for (JobStatus status : JobStatus.values()) {
      if (status.finished()) {
        durations.put(
            status,
            Timer.builder("tuneforge.finetune.duration")
                .description("Fine-tunes from start to their final status")
                .tag("status", status.wire())
                .register(registry));
      }
    }
    this.datasetBytes =
        DistributionSummary.builder("tuneforge.dataset.stored")
            .description("Dataset versions stored: uploaded, generated or derived")
            .baseUnit("bytes")
            .register(registry);
  }

  @EventListener
  void finished(FineTuneFinished event) {
    Timer timer = durations.get(event.status());
    if (timer != null) {
      AfterCommit.run(() -> record(event, timer));
    }
  }

  private void record(FineTuneFinished event, Timer timer) {
    // From its start on a node; a job that never started counts from its submission.
    jdbc.sql("select coalesce(started_at, created_at), finished_at from fine_tune_job where id = ?")
        .param(event.jobId())
        .query(
            (rs, n) -> {
              Timestamp from = rs.getTimestamp(1);
              Timestamp to = rs.getTimestamp(2);
              return to == null
                  ? Duration.ZERO
                  : Duration.between(from.toInstant(), to.toInstant());
            })
        .optional()
        .ifPresent(timer::record);
  }

  @EventListener
  void datasetStored(DatasetVersionStored event) {
    AfterCommit.run(() -> record(event));
  }

  private void record(DatasetVersionStored event) {
    jdbc.sql("select size_bytes from dataset_version where id = ?")
        .param(event.versionId())
        .query(Long.class)
        .optional()
        .ifPresent(datasetBytes::record);
  }
}
