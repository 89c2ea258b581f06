package dev.tuneforge.protocol;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A job leased to one node until {@code expiresAt} (renewed by heartbeats). {@code inputs} maps a
 * file's path in the job's work folder ({@code data/train.jsonl}, {@code model/config.json}, ...)
 * to a presigned GET URL; {@code outputs} maps each file the node must upload ({@code
 * adapter/adapter_config.json}, {@code adapter/adapter_model.safetensors}) to a presigned PUT URL.
 * URLs are valid for this job only.
 */
public record Lease(
    UUID leaseId,
    UUID jobId,
    Instant expiresAt,
    TrainingSpec spec,
    Map<String, String> inputs,
    Map<String, String> outputs) {}
