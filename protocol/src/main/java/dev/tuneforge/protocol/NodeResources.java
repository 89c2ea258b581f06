package dev.tuneforge.protocol;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a node offers: its accelerator ({@code cpu} or {@code cuda}), the device's name, the memory
 * training may use in bytes (a CPU node's RAM), CPU cores, and its GPUs as the engine reads them
 * (empty on a CPU node, and from nodes of before GPUs were reported). A node runs one job per GPU,
 * or one job when it has none.
 */
public record NodeResources(
    String device, String deviceName, long memoryBytes, int cpuCores, List<Gpu> gpus) {

  public NodeResources {
    gpus = orEmpty(gpus);
  }

  /** A node without GPUs. */
  public NodeResources(String device, String deviceName, long memoryBytes, int cpuCores) {
    this(device, deviceName, memoryBytes, cpuCores, List.of());
  }

  /** How many jobs the node runs at once: one per GPU, one on a CPU node. */
  public int jobSlots() {
    return Math.max(1, gpus.size());
  }

  static List<Gpu> orEmpty(@Nullable List<Gpu> gpus) {
    return gpus == null ? List.of() : List.copyOf(gpus);
  }
}
