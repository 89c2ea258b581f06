package dev.tuneforge.app.finetune;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.storage.ObjectStorage;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What users do with fine-tunes: launch, list, watch, cancel. Everything here runs as the
 * caller's tenant; jobs of other tenants are invisible (not found), not forbidden.
 */
@Service
public class FineTuneService {
  private final FineTuneRepository jobs;
  private final JobEventRepository events;
  private final CatalogService catalog;
  private final DatasetService datasets;
  private final ObjectStorage storage;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher publisher;

  FineTuneService(
      FineTuneRepository jobs,
      JobEventRepository events,
      CatalogService catalog,
      DatasetService datasets,
      ObjectStorage storage,
      TransactionTemplate transactions,
      ApplicationEventPublisher publisher) {
    this.jobs = jobs;
    this.events = events;
    this.catalog = catalog;
    this.datasets = datasets;
    this.storage = storage;
    this.transactions = transactions;
    this.publisher = publisher;
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
        catalog.find(request.baseModelId()).orElseThrow(() -> new IllegalArgumentException("Choose a base model"));
    DatasetSummary dataset =
        datasets
            .findVersion(request.datasetVersionId())
            .orElseThrow(() -> new IllegalArgumentException("Choose one of your datasets"));
    if (request.evaluationDatasetVersionId() != null
        && datasets.findVersion(request.evaluationDatasetVersionId()).isEmpty()) {
      throw new IllegalArgumentException("Choose one of your datasets to evaluate on");
    }
    String name = model.getName() + " on " + dataset.name() + " v" + dataset.version();
    FineTuneJob job =
        transactions.execute(
            status -> {
              FineTuneJob created = jobs.save(new FineTuneJob(name, user, request));
              events.save(JobEventRecord.log(created.getId(), "Created; validating files"));
              return created;
            });
    String key = datasets.trainingFileKey(dataset.versionId()).orElseThrow();
    boolean filesPresent = storage.exists(key) && !catalog.files(model).isEmpty();
    FineTuneJob saved =
        transactions.execute(
            status -> {
              FineTuneJob current = jobs.findById(job.getId()).orElseThrow();
              if (filesPresent) {
                current.queue();
                events.save(JobEventRecord.log(current.getId(), "Files validated; queued for a training node"));
                publisher.publishEvent(new FineTuneQueued(current.getId()));
              } else {
                current.finish(JobStatus.FAILED, "The dataset or base model files are missing from storage");
                events.save(JobEventRecord.log(current.getId(), current.getError()));
              }
              return jobs.save(current);
            });
    publisher.publishEvent(new FineTuneProgressed(saved.getTenantId(), saved.getId()));
    return saved;
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

  /** Cancels a queued job at once; a running one stops at the node's next heartbeat. */
  public void cancel(UUID jobId) {
    FineTuneJob job =
        transactions.execute(
            status -> {
              FineTuneJob found = jobs.findById(jobId).orElseThrow(() -> new IllegalArgumentException("No such job"));
              if (found.getStatus().finished()) {
                return found;
              }
              if (found.getStatus() == JobStatus.RUNNING) {
                found.requestCancel();
                events.save(JobEventRecord.log(found.getId(), "Cancellation requested"));
              } else {
                boolean paused = found.getStatus() == JobStatus.PAUSED;
                found.finish(JobStatus.CANCELLED, "Cancelled by user");
                events.save(JobEventRecord.log(found.getId(), paused
                    ? "Cancelled while paused; its checkpoints are kept" : "Cancelled before it started"));
              }
              return jobs.save(found);
            });
    publisher.publishEvent(new FineTuneProgressed(job.getTenantId(), job.getId()));
  }

  /** Keys of the finished adapter's files, for the download; empty until the job succeeded, and for a full fine-tune. */
  public List<String> adapterFiles(UUID jobId) {
    return deliveredFiles(jobId, false);
  }

  /** Keys of a finished full fine-tune's model files, for the download; empty until it succeeded, and for LoRA. */
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
