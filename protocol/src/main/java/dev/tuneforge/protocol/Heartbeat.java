package dev.tuneforge.protocol;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Sent every few seconds: the node's state ({@code idle} or {@code busy}), one job it runs, and its
 * GPUs now (free memory, which job each runs; empty on a CPU node). A node running several jobs,
 * one per GPU, sends one heartbeat per job, so that each job's lease is renewed and each reply
 * speaks of one job.
 */
public record Heartbeat(String state, @Nullable UUID currentJobId, List<Gpu> gpus) {

  public Heartbeat {
    gpus = NodeResources.orEmpty(gpus);
  }

  /** A heartbeat of a node without GPUs. */
  public Heartbeat(String state, @Nullable UUID currentJobId) {
    this(state, currentJobId, List.of());
  }
}
