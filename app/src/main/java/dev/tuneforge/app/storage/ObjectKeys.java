package dev.tuneforge.app.storage;

import java.util.UUID;

/** The object layout: tenant first, so one prefix holds all of a tenant's data. */
public final class ObjectKeys {
  private ObjectKeys() {}

  public static String tenantPrefix(UUID tenantId) {
    return "tenants/" + tenantId + "/";
  }

  public static String datasetVersion(UUID tenantId, UUID datasetId, int version) {
    return tenantPrefix(tenantId) + "datasets/" + datasetId + "/v" + version + "/";
  }

  public static String jobAdapter(UUID tenantId, UUID jobId) {
    return tenantPrefix(tenantId) + "jobs/" + jobId + "/adapter/";
  }

  /** A full fine-tune's model in Hugging Face layout, where a LoRA job has its adapter. */
  public static String jobModel(UUID tenantId, UUID jobId) {
    return tenantPrefix(tenantId) + "jobs/" + jobId + "/model/";
  }

  /** One checkpoint's folder; every checkpoint of a job stays, whatever became of the job. */
  public static String jobCheckpoint(UUID tenantId, UUID jobId, int step) {
    return tenantPrefix(tenantId) + "jobs/" + jobId + "/checkpoints/step-" + step + "/";
  }

  /** The node's evaluation files: {@code generations.jsonl} and {@code summary.json}. */
  public static String jobEvaluation(UUID tenantId, UUID jobId) {
    return tenantPrefix(tenantId) + "jobs/" + jobId + "/evaluation/";
  }

  public static String modelPrefix(String modelName) {
    return "models/" + modelName + "/";
  }
}
