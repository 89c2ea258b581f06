package dev.tuneforge.app.finetune;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.QualityReport;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.storage.StorageQuota;
import dev.tuneforge.app.tenancy.Quota;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.tenancy.TenantQuotas;
import dev.tuneforge.app.usage.EstimateService;
import dev.tuneforge.chat.ChatTemplate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What users do with fine-tunes: launch, list, watch, cancel. Everything here runs as the caller's
 * tenant; jobs of other tenants are invisible (not found), not forbidden.
 */
@Service
public class FineTuneService {
  private static final Logger log = LoggerFactory.getLogger(FineTuneService.class);
  private static final Pattern SUFFIX = Pattern.compile("[a-z0-9_-]{1,64}");

  private final FineTuneRepository jobs;
  private final JobEventRepository events;
  private final CatalogService catalog;
  private final DatasetService datasets;
  private final ObjectStorage storage;
  private final TransactionTemplate transactions;
  private final EstimateService estimates;
  private final Continuations continuations;
  private final TenantQuotas quotas;
  private final StorageQuota storageQuota;
  private final Clock clock;
  private final ApplicationEventPublisher publisher;

  FineTuneService(
      FineTuneRepository jobs,
      JobEventRepository events,
      CatalogService catalog,
      DatasetService datasets,
      ObjectStorage storage,
      TransactionTemplate transactions,
      EstimateService estimates,
      Continuations continuations,
      TenantQuotas quotas,
      StorageQuota storageQuota,
      Clock clock,
      ApplicationEventPublisher publisher) {
    this.quotas = quotas;
    this.storageQuota = storageQuota;
    this.jobs = jobs;
    this.events = events;
    this.catalog = catalog;
    this.datasets = datasets;
    this.storage = storage;
    this.transactions = transactions;
    this.estimates = estimates;
    this.continuations = continuations;
    this.clock = clock;
    this.publisher = publisher;
  }

  /**
   * Validates the request and its files, then queues the job.
   *
   * @throws IllegalArgumentException naming what is wrong with the request
   */
  public FineTuneJob create(FineTuneRequest request) {
    return create(request, null);
  }

  /**
   * Validates the request, its files and the job's own name ({@code suffix}: 1 to 64 of {@code a-z
   * 0-9 - _}, or null for none), then queues the job with its cost estimate at launch.
   *
   * @throws IllegalArgumentException naming what is wrong with the request
   */
  public FineTuneJob create(FineTuneRequest request, @Nullable String suffix) {
    String problem = request.problem();
    if (problem == null) {
      problem = suffixProblem(suffix);
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    UUID user = CurrentUser.require().userId();
    BaseModel model =
        catalog
            .find(request.baseModelId())
            .orElseThrow(() -> new IllegalArgumentException("Choose a base model"));
    if (model.isRetired()) {
      throw new IllegalArgumentException(
          model.getLabel() + " is retired from new fine-tunes; choose another base model");
    }
    Continuations.@Nullable Source source =
        request.continueFromJobId() == null
            ? null
            : continuations.source(request, request.continueFromJobId());
    DatasetSummary dataset =
        datasets
            .findVersion(request.datasetVersionId())
            .orElseThrow(() -> new IllegalArgumentException("Choose one of your datasets"));
    refuseToolCallsWithoutToolSupport(model, dataset);
    if (request.evaluationDatasetVersionId() != null) {
      DatasetSummary evaluation =
          datasets
              .findVersion(request.evaluationDatasetVersionId())
              .orElseThrow(
                  () -> new IllegalArgumentException("Choose one of your datasets to evaluate on"));
      // Its prompts are rendered as training renders rows: calls and schemas need the same support.
      refuseToolCallsWithoutToolSupport(model, evaluation);
    }
    String kindProblem = kindProblem(request, dataset);
    if (kindProblem != null) {
      throw new IllegalArgumentException(kindProblem);
    }
    if (request.retentionDatasetVersionId() != null
        && datasets.findVersion(request.retentionDatasetVersionId()).isEmpty()) {
      throw new IllegalArgumentException("Choose one of your datasets for the retention check");
    }
    quotas
        .current()
        .check(
            Quota.QUEUED_JOBS,
            jobs.countWaiting(List.of(JobStatus.VALIDATING_FILES, JobStatus.QUEUED)),
            1,
            "launch again when one has started, or cancel one");
    storageQuota.checkRoomLeft(TenantContext.requireTenant());
    String name = model.getName() + " on " + dataset.name() + " v" + dataset.version();
    Instant now = clock.instant();
    FineTuneJob job =
        transactions.execute(
            status -> {
              FineTuneJob fresh = new FineTuneJob(name, user, request, now);
              fresh.rename(blankToNull(suffix));
              if (source != null) {
                fresh.continueFrom(source.job().getId(), source.step());
              }
              FineTuneJob created = jobs.save(fresh);
              events.save(JobEventRecord.log(created.getId(), "Created; validating files", now));
              if (source != null) {
                events.save(
                    JobEventRecord.log(
                        created.getId(),
                        "Continues from \""
                            + source.job().getLabel()
                            + "\" at step "
                            + source.step(),
                        now));
              }
              return created;
            });
    String key = datasets.trainingFileKey(dataset.versionId()).orElseThrow();
    boolean filesPresent = storage.exists(key) && !catalog.files(model).isEmpty();
    recordEstimate(job);
    publisher.publishEvent(new FineTuneLaunched(job.getTenantId(), job.getId(), job.getLabel()));
    return change(
            job.getId(),
            (created, at) ->
                filesPresent
                    ? created.queue()
                    : created.rejectFiles(
                        "The dataset or base model files are missing from storage", at))
        .orElseThrow();
  }

  /**
   * A template that does not read {@code tools} or {@code tool_calls} would drop the calls and the
   * schemas from every row that has them: the model would learn answers without their calls.
   */
  private void refuseToolCallsWithoutToolSupport(BaseModel model, DatasetSummary dataset) {
    int toolRows = datasets.quality(dataset.versionId()).map(QualityReport::toolCallRows).orElse(0);
    if (toolRows > 0 && !ChatTemplate.supportsTools(model.getChatTemplate())) {
      throw new IllegalArgumentException(
          model.getLabel()
              + "'s chat template has no tool support; "
              + toolRows
              + " rows of "
              + dataset.name()
              + " call tools. Choose a base model whose template renders tools (Qwen3, for"
              + " example) or a dataset without tool calls");
    }
  }

  /**
   * Gives the job its own name, or takes it away ({@code suffix} null or blank).
   *
   * @throws IllegalArgumentException when the name is not 1 to 64 of a-z, 0-9, - and _, or the
   *     current tenant has no such job
   */
  public FineTuneJob rename(UUID jobId, @Nullable String suffix) {
    String problem = suffixProblem(suffix);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    String name = blankToNull(suffix);
    return change(
            jobId,
            (job, now) -> {
              job.rename(name);
              return Transition.logged(name == null ? "Name removed" : "Named \"" + name + "\"");
            })
        .orElseThrow();
  }

  /** Why {@code suffix} cannot name a job, or null when it can (null or blank: no name). */
  public static @Nullable String suffixProblem(@Nullable String suffix) {
    if (suffix == null || suffix.isBlank() || SUFFIX.matcher(suffix).matches()) {
      return null;
    }
    return "A fine-tune's name is 1 to 64 characters of a-z, 0-9, - and _, not \""
        + (suffix.length() > 80 ? suffix.substring(0, 80) + "…" : suffix)
        + "\"";
  }

  private static @Nullable String blankToNull(@Nullable String suffix) {
    return suffix == null || suffix.isBlank() ? null : suffix;
  }

  /** An estimate that cannot be made (no node class, an odd model) never stops a launch. */
  private void recordEstimate(FineTuneJob job) {
    try {
      estimates.record(job.getId(), job.work());
    } catch (RuntimeException e) {
      log.warn("No cost estimate stored for job {}", job.getId(), e);
    }
  }

  /**
   * DPO trains on preference pairs and only DPO does; a held-out set to evaluate on is of the same
   * kind as the training set.
   */
  private @Nullable String kindProblem(FineTuneRequest request, DatasetSummary dataset) {
    if (request.preferencePairs() != dataset.preferencePairs()) {
      return request.preferencePairs()
          ? "DPO trains on preference pairs: "
              + dataset.label()
              + " holds chat rows; choose LoRA, QLoRA or full fine-tuning, or a preference dataset"
          : dataset.label() + " holds preference pairs, which only DPO trains on: choose DPO";
    }
    UUID evaluation = request.evaluationDatasetVersionId();
    if (evaluation != null
        && datasets.findVersion(evaluation).orElseThrow().preferencePairs()
            != dataset.preferencePairs()) {
      return "Evaluate on a dataset of the same kind as the training set ("
          + (dataset.preferencePairs() ? "preference pairs" : "chat rows")
          + ")";
    }
    return null;
  }

  public List<FineTuneJob> list() {
    return jobs.findAllByOrderByCreatedAtDesc();
  }

  public Optional<FineTuneJob> find(UUID jobId) {
    return jobs.findById(jobId);
  }

  /** The caller's jobs that continue from this one, oldest first. */
  public List<FineTuneJob> continuedBy(UUID jobId) {
    return continuations.continuedBy(jobId);
  }

  public List<JobEventRecord> events(UUID jobId) {
    return find(jobId).map(job -> events.findByJobIdOrderById(job.getId())).orElse(List.of());
  }

  /**
   * Up to {@code limit} of a job's events, newest first, older than the event {@code beforeId}
   * (null: from the newest); none for another tenant's job.
   */
  public List<JobEventRecord> eventsBefore(UUID jobId, @Nullable Long beforeId, int limit) {
    return find(jobId)
        .map(
            job ->
                events.findByJobIdAndIdLessThanOrderByIdDesc(
                    job.getId(), beforeId == null ? Long.MAX_VALUE : beforeId, Limit.of(limit)))
        .orElse(List.of());
  }

  /** The job's checkpoints in storage, in the order they were saved, with their losses. */
  public List<JobCheckpoint> checkpoints(UUID jobId) {
    return JobCheckpoint.of(events(jobId));
  }

  /**
   * Pauses a job: at once when it waits for a node, at a checkpoint when it runs; it waits for
   * {@link #resume} (its budget never resumes it). The job as it is now.
   *
   * @throws IllegalArgumentException when the current tenant has no such job
   * @throws IllegalStateException when the job has finished
   */
  public FineTuneJob pause(UUID jobId) {
    return changeOrRefuse(jobId, (job, now) -> job.pauseByUser());
  }

  /**
   * Puts a paused job back in the queue, to resume from its last checkpoint, or withdraws a pause
   * its node has not yet carried out. The job as it is now.
   *
   * @throws IllegalArgumentException when the current tenant has no such job
   * @throws IllegalStateException when the job is not paused
   */
  public FineTuneJob resume(UUID jobId) {
    return changeOrRefuse(jobId, (job, now) -> job.resumeByUser());
  }

  /** Applies the transition; the job as saved, or why the job refused, as an exception. */
  private FineTuneJob changeOrRefuse(
      UUID jobId, BiFunction<FineTuneJob, Instant, Transition> transition) {
    List<String> refusal = new ArrayList<>(1);
    return change(
            jobId,
            (job, now) -> {
              Transition answer = transition.apply(job, now);
              if (answer.refusal() != null) {
                refusal.add(answer.refusal());
              }
              return answer;
            })
        .orElseThrow(
            () ->
                new IllegalStateException(
                    refusal.isEmpty()
                        ? "The job did not change"
                        : Character.toUpperCase(refusal.getFirst().charAt(0))
                            + refusal.getFirst().substring(1)));
  }

  /**
   * Cancels a job not yet running, or paused, at once; a running one stops at the node's next
   * heartbeat. A finished job stays as it ended.
   */
  public void cancel(UUID jobId) {
    change(jobId, (job, now) -> job.cancel(now))
        .ifPresent(
            job ->
                publisher.publishEvent(
                    new FineTuneCancelled(job.getTenantId(), job.getId(), job.getLabel())));
  }

  /**
   * The one way a job changes: in one transaction as the current tenant, loads it (locked, so that
   * concurrent changes of one job take turns), asks it for a transition at the current time and
   * saves it with the transition's line in its event log. Saving publishes the events the job
   * registered, inside that transaction. The job as saved, or empty when it refused (then nothing
   * is saved).
   *
   * @throws IllegalArgumentException when the current tenant has no such job
   */
  Optional<FineTuneJob> change(
      UUID jobId, BiFunction<FineTuneJob, Instant, Transition> transition) {
    Instant now = clock.instant();
    Optional<FineTuneJob> changed =
        transactions.execute(
            status -> {
              FineTuneJob job =
                  jobs.findForUpdate(jobId)
                      .orElseThrow(() -> new IllegalArgumentException("No such job"));
              Transition answer = transition.apply(job, now);
              if (!answer.taken()) {
                return Optional.empty();
              }
              if (answer.log() != null) {
                events.save(JobEventRecord.log(jobId, answer.log(), now));
              }
              return Optional.of(jobs.save(job));
            });
    return changed == null ? Optional.empty() : changed;
  }

  /**
   * Keys of the finished adapter's files, for the download; empty until the job succeeded, and for
   * a full fine-tune.
   */
  public List<String> adapterFiles(UUID jobId) {
    return deliveredFiles(jobId, false);
  }

  /**
   * Keys of a finished full fine-tune's model files, for the download; empty until it succeeded,
   * and for LoRA.
   */
  public List<String> tunedModelFiles(UUID jobId) {
    return deliveredFiles(jobId, true);
  }

  private List<String> deliveredFiles(UUID jobId, boolean full) {
    return find(jobId)
        .filter(job -> job.getStatus() == JobStatus.SUCCEEDED && job.getAdapterPrefix() != null)
        .filter(job -> job.isFullFineTuning() == full)
        .map(job -> storage.tenantList(job.getAdapterPrefix()))
        .orElse(List.of());
  }
}
