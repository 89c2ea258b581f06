package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.Gpu;
import org.jspecify.annotations.Nullable;

/**
 * Where the node runs one job at a time: one per GPU, or the node's only one without GPUs. Each
 * slot takes its own leases, and its children are pinned to its GPU.
 */
record JobSlot(@Nullable Gpu gpu, CurrentJob current, JobRunner runner) {

  String label() {
    return gpu == null ? "" : " on GPU " + gpu.index();
  }
}
