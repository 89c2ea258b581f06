package dev.tuneforge.app.evaluation;

import dev.tuneforge.app.finetune.FineTuneFinished;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.usage.UsageKind;
import dev.tuneforge.app.usage.UsageRecord;
import dev.tuneforge.app.usage.UsageService;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.RetentionExample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores each fine-tune's evaluation when its node reports success: reads the generations and
 * summary the node uploaded, computes {@link EvaluationScores} and keeps them with the job. Pages
 * read the stored metrics; the side-by-side table is recomputed from the stored generations.
 * Everything runs as the job's tenant.
 */
@Service
public class EvaluationService {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluationService.class);
  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final EvaluationRepository evaluations;
  private final FineTuneService fineTunes;
  private final ObjectStorage storage;
  private final TransactionTemplate transactions;
  private final UsageService usage;
  private final ApplicationEventPublisher publisher;

  EvaluationService(
      EvaluationRepository evaluations,
      FineTuneService fineTunes,
      ObjectStorage storage,
      TransactionTemplate transactions,
      UsageService usage,
      ApplicationEventPublisher publisher) {
    this.evaluations = evaluations;
    this.fineTunes = fineTunes;
    this.storage = storage;
    this.transactions = transactions;
    this.usage = usage;
    this.publisher = publisher;
  }

  /**
   * Stores the evaluation and meters its node time apart from training, after the job's success
   * commits. Runs without a transaction of its own, so that each step opens one as the job's
   * tenant. Metering the evaluation needs the lease's segment closed, which another listener does
   * at the same time: until it has, this fails, the event stays incomplete and is handed back
   * (FailedEventRetryJob), and the stored evaluation is not read twice.
   */
  @ApplicationModuleListener(
      id = "evaluation.store.fine-tune-finished",
      propagation = Propagation.NOT_SUPPORTED)
  void onFinished(FineTuneFinished finished) {
    if (finished.status() != JobStatus.SUCCEEDED) {
      return;
    }
    UUID jobId = finished.jobId();
    TenantContext.runAs(
        finished.tenantId(),
        () -> {
          Optional<StoredEvaluation> stored;
          try {
            stored = find(jobId).or(() -> ingest(jobId));
          } catch (RuntimeException e) {
            LOG.error("could not store the evaluation of job {}", jobId, e);
            return;
          }
          if (stored.isEmpty()) {
            return;
          }
          if (usage.meteringOpen(jobId)) {
            throw new IllegalStateException(
                "The lease of job " + jobId + " is not metered as ended yet");
          }
          Evaluation row = stored.get().row();
          usage.splitEvaluation(jobId, Math.round(row.getSeconds()), row.getGeneratedTokens());
        });
  }

  /**
   * Reads the job's evaluation files and stores their metrics; empty when the job asked for no
   * evaluation, the node wrote none, or it measured preference pairs (a DPO job's held-out
   * preference accuracy is shown on the job's page). Runs as the caller's tenant.
   */
  public Optional<StoredEvaluation> ingest(UUID jobId) {
    FineTuneJob job =
        fineTunes.find(jobId).orElseThrow(() -> new IllegalArgumentException("No such fine-tune"));
    String prefix = ObjectKeys.jobEvaluation(job.getTenantId(), jobId, job.getLeaseId());
    if (job.getEvaluationExamples() == 0 || !storage.exists(prefix + JobFolder.SUMMARY)) {
      return Optional.empty();
    }
    EvaluationSummary summary = read(prefix + JobFolder.SUMMARY, EvaluationSummary.class);
    if (summary.preference() != null) {
      // A DPO job generates nothing to score: its preference accuracy is on the job's page.
      return Optional.empty();
    }
    Evaluation row =
        new Evaluation(
            jobId,
            prefix + JobFolder.GENERATIONS,
            summary.decoding(),
            summary.maxNewTokens(),
            summary.seconds(),
            summary.generatedTokens());
    if (summary.error() != null) {
      row.fail("the node could not evaluate: " + summary.error());
    } else {
      try {
        EvaluationScores scores = EvaluationScores.compute(generations(row), summary);
        row.succeed(
            scores.kind().code(),
            scores.base().examples(),
            JSON.writeValueAsString(scores.base()),
            JSON.writeValueAsString(scores.tuned()),
            JSON.writeValueAsString(scores.fields()));
        RetentionScores retention =
            storage.exists(retentionKey(row)) ? RetentionScores.of(retention(row)) : null;
        row.measured(
            JSON.writeValueAsString(LatencyFigures.of(generations(row), summary.device())),
            retention == null ? null : JSON.writeValueAsString(retention));
      } catch (IllegalArgumentException | JacksonException | UncheckedIOException e) {
        row.fail(e.getMessage());
      }
    }
    Evaluation saved =
        transactions.execute(
            status -> {
              Evaluation stored = evaluations.save(row);
              publisher.publishEvent(
                  new EvaluationReady(job.getTenantId(), jobId, stored.succeeded()));
              return stored;
            });
    return Optional.of(stored(saved));
  }

  /** The job's stored evaluation, if it has one and belongs to the caller's tenant. */
  public Optional<StoredEvaluation> find(UUID jobId) {
    return evaluations.findById(jobId).map(EvaluationService::stored);
  }

  /** The generations the node uploaded, in the order it wrote them. */
  public List<EvaluationExample> generations(Evaluation evaluation) {
    return lines(evaluation.getGenerationsKey(), EvaluationExample.class, "the generations");
  }

  /** The retention check's answers and losses the node uploaded; empty when there was none. */
  public List<RetentionExample> retention(Evaluation evaluation) {
    String key = retentionKey(evaluation);
    return storage.exists(key)
        ? lines(key, RetentionExample.class, "the retention check")
        : List.of();
  }

  /** The stored latency figures, or null for an evaluation stored before they were measured. */
  public @Nullable LatencyFigures latency(Evaluation evaluation) {
    return evaluation.getLatency() == null
        ? null
        : JSON.readValue(evaluation.getLatency(), LatencyFigures.class);
  }

  /** The stored retention scores, or null when the job asked for no retention check. */
  public @Nullable RetentionScores retentionScores(Evaluation evaluation) {
    return evaluation.getRetention() == null
        ? null
        : JSON.readValue(evaluation.getRetention(), RetentionScores.class);
  }

  /** The name of the node that evaluated the job, as its metered evaluation segment has it. */
  public Optional<String> evaluatedOn(UUID jobId) {
    return usage.segments(jobId).stream()
        .filter(s -> s.getKind() == UsageKind.EVALUATION)
        .map(UsageRecord::getNodeName)
        .reduce((first, last) -> last);
  }

  private static String retentionKey(Evaluation evaluation) {
    return evaluation.getGenerationsKey().replace(JobFolder.GENERATIONS, JobFolder.RETENTION);
  }

  private <T> List<T> lines(String key, Class<T> type, String what) {
    List<T> rows = new ArrayList<>();
    try (InputStream in = storage.tenantOpen(key);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          rows.add(JSON.readValue(line, type));
        } catch (JacksonException e) {
          throw new IllegalArgumentException(
              "line " + number + " of " + what + " is not an example: " + e.getOriginalMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** The metrics computed afresh from the stored generations and summary. */
  public EvaluationScores recompute(Evaluation evaluation) {
    return recompute(evaluation, generations(evaluation));
  }

  /**
   * The metrics computed afresh from generations already read, and the stored summary (the table's
   * source).
   */
  public EvaluationScores recompute(Evaluation evaluation, List<EvaluationExample> generations) {
    String summaryKey =
        evaluation.getGenerationsKey().replace(JobFolder.GENERATIONS, JobFolder.SUMMARY);
    return EvaluationScores.compute(generations, read(summaryKey, EvaluationSummary.class));
  }

  private <T> T read(String key, Class<T> type) {
    try (InputStream in = storage.tenantOpen(key)) {
      return JSON.readValue(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static StoredEvaluation stored(Evaluation row) {
    if (!row.succeeded()) {
      return new StoredEvaluation(row, null, null, List.of());
    }
    return new StoredEvaluation(
        row,
        JSON.readValue(row.getBaseMetrics(), ModelMetrics.class),
        JSON.readValue(row.getTunedMetrics(), ModelMetrics.class),
        Arrays.asList(JSON.readValue(row.getFieldMetrics(), FieldMetrics[].class)));
  }
}
