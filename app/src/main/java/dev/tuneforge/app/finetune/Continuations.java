package dev.tuneforge.app.finetune;

import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.protocol.JobFolder;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Which earlier job a new fine-tune may continue from, and at which step: a job of the caller's
 * tenant that has ended, on the same base model, training the same kind of weights (an adapter of
 * the same rank and target modules, or the whole model), at a checkpoint whose files are all in
 * storage. A job of another tenant is not found, as everywhere.
 */
@Component
class Continuations {
  private static final EnumSet<JobStatus> ENDED =
      EnumSet.of(JobStatus.SUCCEEDED, JobStatus.CANCELLED, JobStatus.FAILED);

  private final FineTuneRepository jobs;
  private final ObjectStorage storage;

  Continuations(FineTuneRepository jobs, ObjectStorage storage) {
    this.jobs = jobs;
    this.storage = storage;
  }

  /**
   * The source job and the checkpoint step the request continues from.
   *
   * @throws IllegalArgumentException naming what rules the source out
   */
  Source source(FineTuneRequest request, UUID sourceId) {
    FineTuneJob source =
        jobs.findById(sourceId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "No such fine-tune to continue from: " + sourceId));
    String label = "\"" + source.getLabel() + "\"";
    if (!ENDED.contains(source.getStatus())) {
      throw new IllegalArgumentException(
          label
              + " is "
              + source.getStatus().wire().replace('_', ' ')
              + "; continue from a job that succeeded, was cancelled or failed");
    }
    if (!source.getBaseModelId().equals(request.baseModelId())) {
      throw new IllegalArgumentException(
          label + " was trained on another base model; continue it on the same base model");
    }
    if (source.isFullFineTuning() != request.fullFineTuning()) {
      throw new IllegalArgumentException(
          source.isFullFineTuning()
              ? label + " is a full fine-tune; continue it with full fine-tuning"
              : label + " trained a LoRA adapter; continue it with LoRA, QLoRA or DPO, not full");
    }
    if (!source.isFullFineTuning()
        && (source.getLoraR() != request.loraR()
            || !source.getTargetModules().equals(request.targetModules()))) {
      throw new IllegalArgumentException(
          label
              + "'s adapter has rank "
              + source.getLoraR()
              + " on "
              + source.getTargetModules()
              + "; continue it with the same rank and target modules");
    }
    Integer step = request.continueFromStep();
    if (step == null) {
      step = source.getLastCheckpointStep();
      if (step == null) {
        throw new IllegalArgumentException(label + " left no checkpoint to continue from");
      }
    } else if (step < 1 || !stored(source, step)) {
      throw new IllegalArgumentException(label + " has no checkpoint after step " + step);
    }
    return new Source(source, step);
  }

  /** The jobs that continue from this one, oldest first. */
  List<FineTuneJob> continuedBy(UUID jobId) {
    return jobs.findByContinuedFromJobIdOrderByCreatedAt(jobId);
  }

  private boolean stored(FineTuneJob source, int step) {
    String prefix = ObjectKeys.jobCheckpoint(source.getTenantId(), source.getId(), step);
    return JobFolder.checkpointFiles(source.isFullFineTuning()).stream()
        .allMatch(file -> storage.exists(prefix + file));
  }

  /** A job to continue from and the step of its checkpoint. */
  record Source(FineTuneJob job, int step) {}
}
