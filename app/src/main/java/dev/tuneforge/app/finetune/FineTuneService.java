package dev.tuneforge.app.finetune;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.storage.ObjectStorage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What users do with fine-tunes: launch, list, watch, cancel. Everything here runs as the caller's
 * tenant; jobs of other tenants are invisible (not found), not forbidden.
 */
@Service
public class FineTuneService {
  private final FineTuneRepository jobs;
  private final JobEventRepository events;
  private final CatalogService catalog;
  private final DatasetService datasets;
  private final ObjectStorage storage;
  private final TransactionTemplate transactions;
  private final Clock clock;

  FineTuneService(
      FineTuneRepository jobs,
      JobEventRepository events,
      CatalogService catalog,
      DatasetService datasets,
      ObjectStorage storage,
      TransactionTemplate transactions,
      Clock clock) {
    this.jobs = jobs;
    this.events = events;
    this.catalog = catalog;
    this.datasets = datasets;
    this.storage = storage;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Validates the request and its files, then queues the job.
   *
   * @throws IllegalArgumentException naming what is wrong with the request
   */
  public FineTuneJob create(FineTuneRequest request) {
    String problem = request.problem();
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
    DatasetSummary dataset =
        datasets
            .findVersion(request.datasetVersionId())
            .orElseThrow(() -> new IllegalArgumentException("Choose one of your datasets"));
    if (request.evaluationDatasetVersionId() != null
        && datasets.findVersion(request.evaluationDatasetVersionId()).isEmpty()) {
      throw new IllegalArgumentException("Choose one of your datasets to evaluate on");
    }
    if (request.retentionDatasetVersionId() != null
        && datasets.findVersion(request.retentionDatasetVersionId()).isEmpty()) {
      throw new IllegalArgumentException("Choose one of your datasets for the retention check");
    }
    String name = model.getName() + " on " + dataset.name() + " v" + dataset.version();
    Instant now = clock.instant();
    FineTuneJob job =
        transactions.execute(
            status -> {
              FineTuneJob created = jobs.save(new FineTuneJob(name, user, request, now));
              events.save(JobEventRecord.log(created.getId(), "Created; validating files", now));
              return created;
            });
    String key = datasets.trainingFileKey(dataset.versionId()).orElseThrow();
    boolean filesPresent = storage.exists(key) && !catalog.files(model).isEmpty();
    return change(
            job.getId(),
            (created, at) ->
                filesPresent
                    ? created.queue()
                    : created.rejectFiles(
                        "The dataset or base model files are missing from storage", at))
        .orElseThrow();
  }

  public List<FineTuneJob> list() {
    return jobs.findAllByOrderByCreatedAtDesc();
  }

  public Optional<FineTuneJob> find(UUID jobId) {
    return jobs.findById(jobId);
  }

  public List<JobEventRecord> events(UUID jobId) {
    return find(jobId).map(job -> events.findByJobIdOrderById(job.getId())).orElse(List.of());
  }

  /**
   * Cancels a job not yet running, or paused, at once; a running one stops at the node's next
   * heartbeat. A finished job stays as it ended.
   */
  public void cancel(UUID jobId) {
    change(jobId, (job, now) -> job.cancel(now));
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
