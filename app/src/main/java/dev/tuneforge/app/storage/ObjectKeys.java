package dev.tuneforge.app.storage;

import dev.tuneforge.protocol.JobFolder;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The object layout: tenant first, so one prefix holds all of a tenant's data. */
public final class ObjectKeys {
  private ObjectKeys() {}

  /** The prefix of every tenant's data. */
  public static final String TENANTS = "tenants/";

  public static String tenantPrefix(UUID tenantId) {
    return TENANTS + tenantId + "/";
  }

  public static String datasetVersion(UUID tenantId, UUID datasetId, int version) {
    return tenantPrefix(tenantId) + "datasets/" + datasetId + "/v" + version + "/";
  }

  /** A job's folder, named inside as {@link JobFolder} names it. */
  public static String job(UUID tenantId, UUID jobId) {
    return tenantPrefix(tenantId) + "jobs/" + jobId + "/";
  }

  /**
   * Where one holding of a job (its {@code leaseId}) writes its outputs: a folder of its own, so a
   * node that lost the job cannot write over what the holding whose result was taken delivered (its
   * upload URLs outlive the lease by the slack). A job assigned before holdings had ids (null) has
   * its outputs in its own folder.
   */
  public static String jobOutputs(UUID tenantId, UUID jobId, @Nullable UUID leaseId) {
    return leaseId == null
        ? job(tenantId, jobId)
        : job(tenantId, jobId) + "leases/" + leaseId + "/";
  }

  /** A LoRA job's adapter, as the holding {@code leaseId} delivers it. */
  public static String jobAdapter(UUID tenantId, UUID jobId, @Nullable UUID leaseId) {
    return jobOutputs(tenantId, jobId, leaseId) + JobFolder.ADAPTER;
  }

  /** A full fine-tune's model in Hugging Face layout, where a LoRA job has its adapter. */
  public static String jobModel(UUID tenantId, UUID jobId, @Nullable UUID leaseId) {
    return jobOutputs(tenantId, jobId, leaseId) + JobFolder.STORED_TUNED_MODEL;
  }

  /**
   * The folder of a LoRA job's merged models in Hugging Face layout, {@link
   * JobFolder#MERGED_MODEL}, every holding's of its merge.
   */
  public static String jobMerged(UUID tenantId, UUID jobId) {
    return job(tenantId, jobId) + JobFolder.MERGED_MODEL;
  }

  /**
   * The merged model as the merge's holding {@code leaseId} writes it: a folder of its own, as for
   * a job's outputs ({@link #jobOutputs}); a merge assigned before holdings had ids (null) writes
   * straight into {@link #jobMerged(UUID, UUID)}.
   */
  public static String jobMerged(UUID tenantId, UUID jobId, @Nullable UUID leaseId) {
    return leaseId == null
        ? jobMerged(tenantId, jobId)
        : jobMerged(tenantId, jobId) + "leases/" + leaseId + "/";
  }

  /** The folder of all a job's checkpoints. */
  public static String jobCheckpoints(UUID tenantId, UUID jobId) {
    return job(tenantId, jobId) + JobFolder.CHECKPOINTS;
  }

  /** One checkpoint's folder; every checkpoint of a job stays, whatever became of the job. */
  public static String jobCheckpoint(UUID tenantId, UUID jobId, int step) {
    return job(tenantId, jobId) + JobFolder.checkpoint(step);
  }

  /** The node's evaluation files, {@link JobFolder#EVALUATION_FILES}, of the holding. */
  public static String jobEvaluation(UUID tenantId, UUID jobId, @Nullable UUID leaseId) {
    return jobOutputs(tenantId, jobId, leaseId) + JobFolder.EVALUATION;
  }

  /**
   * Where a browser upload is staged until the app has read it: {@code
   * tenants/{tenant}/uploads/{upload}/{fileName}}, the name reduced to safe characters.
   */
  public static String stagedUpload(UUID tenantId, UUID uploadId, String fileName) {
    String safe =
        fileName
            .replaceAll("[^A-Za-z0-9._-]", "_")
            .replaceAll("\\.{2,}", "_")
            .replaceAll("^\\.", "_");
    return tenantPrefix(tenantId) + UPLOADS + uploadId + "/" + (safe.isEmpty() ? "upload" : safe);
  }

  /** The folder, inside each tenant's prefix, that holds staged uploads. */
  public static final String UPLOADS = "uploads/";

  /** The prefix of the platform's own model folders, outside every tenant's area. */
  public static final String MODELS = "models/";

  /** Where the app stores a platform model it was given the files of (upload, local folder). */
  public static String platformModel(UUID modelId) {
    return MODELS + modelId + "/";
  }

  /** Where the app stores a tenant's private model it was given the files of. */
  public static String tenantModel(UUID tenantId, UUID modelId) {
    return tenantPrefix(tenantId) + MODELS + modelId + "/";
  }
}
