package dev.tuneforge.trainingnode.jobprocess;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.lang.management.MemoryUsage;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The device a job trains on, as the agent passes it down: {@code TUNEFORGE_DEVICE} ({@code cpu},
 * the default, or {@code cuda}; the agent pins each job's process to one GPU with {@code
 * CUDA_VISIBLE_DEVICES}, so the process sees it as GPU 0). A {@code cuda} job on an engine that
 * sees no GPU fails at once rather than train on the CPU unnoticed. {@code TUNEFORGE_SIMULATED_GPU}
 * (set by a node started with {@code --simulate-gpus}, for tests) names the simulated GPU a CPU job
 * stands in for; {@code TUNEFORGE_MEMORY_LIMIT} (bytes, from {@code --child-memory-limit}, for
 * tests) is the device memory the job may use, on a CPU node its resident memory.
 */
record TrainingDevice(Device device, String description, long memoryBytes) {

  static final String DEVICE = "TUNEFORGE_DEVICE";
  static final String SIMULATED_GPU = "TUNEFORGE_SIMULATED_GPU";
  static final String MEMORY_LIMIT = "TUNEFORGE_MEMORY_LIMIT";

  /**
   * @throws DeviceUnavailableException for {@code cuda} without a GPU, or an unknown device
   */
  static TrainingDevice resolve(Map<String, String> env, Engine engine) {
    String wanted = env.getOrDefault(DEVICE, "cpu").strip();
    long limit = parseLimit(env.get(MEMORY_LIMIT));
    switch (wanted) {
      case "cpu" -> {
        String simulated = env.get(SIMULATED_GPU);
        String description =
            simulated == null || simulated.isBlank()
                ? "cpu"
                : "cpu (standing in for simulated GPU " + simulated.strip() + ")";
        long memory = limit > 0 ? limit : physicalMemory();
        return new TrainingDevice(Device.cpu(), description, memory);
      }
      case "cuda" -> {
        int gpus = engine.getGpuCount();
        if (gpus == 0) {
          throw new DeviceUnavailableException(
              "this node trains on cuda (--device cuda) but "
                  + engine.getEngineName()
                  + " "
                  + engine.getVersion()
                  + " sees no GPU: the node runs the CPU-only natives or has no CUDA driver;"
                  + " see docs/operations.md, GPU nodes. Nothing was trained.");
        }
        Device gpu = Device.gpu(0);
        MemoryUsage memory = ai.djl.util.cuda.CudaUtils.getGpuMemory(gpu);
        String visible = env.getOrDefault("CUDA_VISIBLE_DEVICES", "0");
        return new TrainingDevice(
            gpu,
            "cuda (GPU "
                + visible
                + ", CUDA "
                + ai.djl.util.cuda.CudaUtils.getCudaVersionString()
                + ", compute capability "
                + ai.djl.util.cuda.CudaUtils.getComputeCapability(0)
                + ")",
            limit > 0 ? Math.min(limit, memory.getMax()) : memory.getMax());
      }
      default ->
          throw new DeviceUnavailableException(
              DEVICE + " must be cpu or cuda, not '" + wanted + "'. Nothing was trained.");
    }
  }

  private static long parseLimit(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new DeviceUnavailableException(
          MEMORY_LIMIT + " must be a number of bytes, not '" + value + "'");
    }
  }

  private static long physicalMemory() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
  }

  /** The job's process asked for a device it cannot have. */
  static final class DeviceUnavailableException extends RuntimeException {
    DeviceUnavailableException(String message) {
      super(message);
    }
  }
}
