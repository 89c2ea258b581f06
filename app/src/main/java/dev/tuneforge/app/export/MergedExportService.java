package dev.tuneforge.app.export;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.finetune.FineTuneProgressed;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobStatus;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.protocol.JobFolder;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What users do with merged exports: start one for a succeeded LoRA job, watch it, cancel it,
 * download it. Runs as the caller's tenant: another tenant's job is not found.
 */
@Service
public class MergedExportService {
  private final MergedExportRepository merges;
  private final FineTuneService fineTunes;
  private final ObjectStorage storage;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transactions;
  private final BudgetService budgets;
  private final Clock clock;

  MergedExportService(
      MergedExportRepository merges,
      FineTuneService fineTunes,
      ObjectStorage storage,
      ApplicationEventPublisher events,
      TransactionTemplate transactions,
      BudgetService budgets,
      Clock clock) {
    this.merges = merges;
    this.budgets = budgets;
    this.fineTunes = fineTunes;
    this.storage = storage;
    this.events = events;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Queues the merge of the job's adapter into its base for the next free training node; a merge
   * already queued, running or done is returned as it is, a failed one starts again.
   *
   * @throws IllegalArgumentException when the caller's tenant has no succeeded LoRA job of that id,
   *     or (for a merge not yet queued) its monthly budget is spent: a merge takes node time
   */
  public MergedExport start(UUID jobId) {
    FineTuneJob job =
        fineTunes
            .find(jobId)
            .filter(j -> j.getStatus() == JobStatus.SUCCEEDED && !j.isFullFineTuning())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Only a succeeded LoRA fine-tune of your team can be merged"));
    UUID user = CurrentUser.require().userId();
    MergedExport started =
        transactions.execute(
            status -> {
              Optional<MergedExport> existing = merges.findByJobId(job.getId());
              if (existing.isPresent() && !existing.get().restart(user, clock.instant())) {
                return existing.get();
              }
              budgets
                  .runningProblem(job.getTenantId())
                  .ifPresent(
                      reason -> {
                        throw new IllegalArgumentException("Not started: " + reason);
                      });
              MergedExport merge =
                  existing.orElseGet(() -> new MergedExport(job.getId(), user, clock.instant()));
              events.publishEvent(new MergedExportQueued(merge.getId()));
              events.publishEvent(new FineTuneProgressed(job.getTenantId(), job.getId()));
              return merges.save(merge);
            });
    return java.util.Objects.requireNonNull(started);
  }

  /**
   * Cancels the job's merge: a queued one ends cancelled at once; a running one is marked, its node
   * hears so with its next heartbeat and stops before it uploads the merged model, and the merge
   * ends cancelled when the node reports (or its lease lapses). Files its node uploaded are then
   * removed. Cancelling a running merge again changes nothing. Audited as the caller's.
   *
   * @return the merge as it is now: cancelled, or running with its cancel requested
   * @throws NoSuchElementException when the caller's tenant has no fine-tune of that id
   * @throws IllegalStateException when it has no merge queued or running
   */
  public MergedExport cancel(UUID jobId) {
    FineTuneJob job =
        fineTunes.find(jobId).orElseThrow(() -> new NoSuchElementException("No such fine-tune"));
    MergedExport cancelled =
        transactions.execute(
            status -> {
              MergedExport merge =
                  merges
                      .findByJobId(jobId)
                      .flatMap(found -> merges.findForUpdate(found.getId()))
                      .orElseThrow(
                          () -> new IllegalStateException("The fine-tune has no merged export"));
              boolean wasRunning = MergedExport.RUNNING.equals(merge.getStatus());
              boolean wasRequested = merge.isCancelRequested();
              if (!merge.cancel(clock.instant())) {
                throw new IllegalStateException(
                    "The merged export already ended ("
                        + merge.getStatus()
                        + "); only a queued or running one can be cancelled");
              }
              if (!wasRequested) {
                events.publishEvent(
                    new MergedExportCancelled(
                        job.getTenantId(),
                        jobId,
                        job.getLabel(),
                        wasRunning
                            ? "running merge: its node stops before uploading"
                            : "queued merge: cancelled at once"));
              }
              if (MergedExport.CANCELLED.equals(merge.getStatus())) {
                events.publishEvent(new MergeEndedCancelled(job.getTenantId(), jobId));
              }
              events.publishEvent(new FineTuneProgressed(job.getTenantId(), jobId));
              return merges.save(merge);
            });
    return java.util.Objects.requireNonNull(cancelled);
  }

  /** The job's merge, if one was started. */
  public Optional<MergedExport> find(UUID jobId) {
    return merges.findByJobId(jobId);
  }

  /**
   * Which {@link JobFolder#LOCAL_RUNTIME_FILES} (GGUF, Modelfile) the succeeded merge wrote: none
   * before it succeeded, or for a model GGUF export cannot take.
   */
  public List<String> localRuntimeFiles(UUID jobId) {
    return mergedFiles(jobId).stream()
        .map(key -> key.substring(key.lastIndexOf('/') + 1))
        .filter(JobFolder.LOCAL_RUNTIME_FILES::contains)
        .sorted(Comparator.comparing(JobFolder.LOCAL_RUNTIME_FILES::indexOf))
        .toList();
  }

  /**
   * Keys of the merged model's files as the holding that succeeded wrote them, once the merge
   * succeeded; empty otherwise.
   */
  List<String> mergedFiles(UUID jobId) {
    return find(jobId)
        .filter(merge -> MergedExport.SUCCEEDED.equals(merge.getStatus()))
        .map(
            merge ->
                storage.tenantList(
                    ObjectKeys.jobMerged(merge.getTenantId(), jobId, merge.getLeaseId())))
        .orElse(List.of());
  }
}
