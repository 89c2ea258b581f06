package dev.tuneforge.protocol;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job leased to one node until {@code expiresAt} (renewed by heartbeats). {@code inputs} maps a
 * file's path in the job's work folder ({@code data/train.jsonl}, {@code model/config.json}, ...)
 * to a presigned GET URL; {@code outputs} maps each file the node must upload ({@code
 * adapter/adapter_config.json}, {@code adapter/adapter_model.safetensors}) to a presigned PUT URL.
 * URLs are valid for this job only.
 *
 * <p>The {@code kind} says what the node does: {@value #TRAIN} (null or missing) trains as the spec
 * says; {@value #MERGE} merges the LoRA adapter of the finished job {@code spec.jobId()} ({@link
 * JobFolder#ADAPTER} inputs) into its base model ({@link JobFolder#BASE_MODEL} inputs), in the
 * base's dtype, sharded above {@code maxShardBytes} (null: Hugging Face's 5 GB), into {@link
 * JobFolder#MERGED_MODEL}, whose files it uploads through {@link NodeApi#MERGED_FILES}; then {@code
 * jobId} is the merge's own id, under which its events and result are reported. Merge leases came
 * with protocol version 2: a node of version 1 gets none.
 */
public record Lease(
    UUID leaseId,
    UUID jobId,
    Instant expiresAt,
    TrainingSpec spec,
    Map<String, String> inputs,
    Map<String, String> outputs,
    @Nullable String kind,
    @Nullable Long maxShardBytes) {

  public static final String TRAIN = "train";
  public static final String MERGE = "merge";

  public Lease {
    if (kind != null && !kind.equals(TRAIN) && !kind.equals(MERGE)) {
      throw new IllegalArgumentException(
          "a lease's kind is \"" + TRAIN + "\" or \"" + MERGE + "\", not \"" + kind + "\"");
    }
  }

  /** A training lease. */
  public Lease(
      UUID leaseId,
      UUID jobId,
      Instant expiresAt,
      TrainingSpec spec,
      Map<String, String> inputs,
      Map<String, String> outputs) {
    this(leaseId, jobId, expiresAt, spec, inputs, outputs, null, null);
  }

  /** Whether the node merges a finished adapter into its base rather than training. */
  public boolean merge() {
    return MERGE.equals(kind);
  }
}
