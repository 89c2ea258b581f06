package dev.tuneforge.trainingnode.agent;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.tuneforge.protocol.Gpu;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The node's GPUs as the engine reads them: count, memory (total and free), CUDA runtime version
 * and compute capability from DJL's {@link CudaUtils}; the name and the driver version from NVML
 * (the library the NVIDIA driver installs) where it loads, since DJL reads neither. A CPU node has
 * none; a node started with {@code --simulate-gpus} (for tests) reports the simulated ones.
 */
final class GpuProbe {
  private GpuProbe() {}

  static List<Gpu> probe(NodeOptions options) {
    if (!options.simulatedGpus().isEmpty()) {
      return options.simulatedGpus();
    }
    if (!"cuda".equals(options.device()) || !CudaUtils.hasCuda()) {
      return List.of();
    }
    List<Gpu> gpus = new ArrayList<>();
    String cuda = CudaUtils.getCudaVersionString();
    Nvml nvml = Nvml.load();
    String driver = nvml == null ? null : nvml.driverVersion();
    for (int i = 0; i < CudaUtils.getGpuCount(); i++) {
      MemoryUsage memory = CudaUtils.getGpuMemory(Device.gpu(i));
      String name = nvml == null ? null : nvml.name(i);
      gpus.add(
          new Gpu(
              i,
              name != null
                  ? name
                  : "CUDA GPU "
                      + i
                      + " (compute capability "
                      + CudaUtils.getComputeCapability(i)
                      + ")",
              memory.getMax(),
              memory.getMax() - memory.getUsed(),
              cuda,
              driver,
              null));
    }
    return gpus;
  }

  /** The same GPUs with the memory free now and the job each runs (by slot). */
  static List<Gpu> now(NodeOptions options, List<Gpu> enrolled, List<JobSlot> slots) {
    List<Gpu> gpus = new ArrayList<>();
    boolean real = options.simulatedGpus().isEmpty();
    for (Gpu gpu : enrolled) {
      long free = gpu.freeMemoryBytes();
      if (real) {
        try {
          MemoryUsage memory = CudaUtils.getGpuMemory(Device.gpu(gpu.index()));
          free = memory.getMax() - memory.getUsed();
        } catch (RuntimeException e) {
          // the figure from enrolment stands
        }
      }
      JobSlot slot = gpu.index() < slots.size() ? slots.get(gpu.index()) : null;
      java.util.UUID job = slot == null ? null : slot.current().jobId();
      gpus.add(gpu.running(job, real || job == null ? free : 0));
    }
    return gpus;
  }

  /** The few NVML calls the probe needs. Unverified here: this machine has no NVIDIA driver. */
  interface NvmlLibrary extends Library {
    int nvmlInit_v2();

    int nvmlSystemGetDriverVersion(byte[] version, int length);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);
  }

  private record Nvml(NvmlLibrary library) {
    static @Nullable Nvml load() {
      try {
        NvmlLibrary library = Native.load("nvidia-ml", NvmlLibrary.class);
        return library.nvmlInit_v2() == 0 ? new Nvml(library) : null;
      } catch (LinkageError | RuntimeException e) {
        return null;
      }
    }

    @Nullable String driverVersion() {
      byte[] buffer = new byte[96];
      return library.nvmlSystemGetDriverVersion(buffer, buffer.length) == 0 ? text(buffer) : null;
    }

    @Nullable String name(int index) {
      PointerByReference device = new PointerByReference();
      if (library.nvmlDeviceGetHandleByIndex_v2(index, device) != 0) {
        return null;
      }
      byte[] buffer = new byte[96];
      return library.nvmlDeviceGetName(device.getValue(), buffer, buffer.length) == 0
          ? text(buffer)
          : null;
    }

    private static String text(byte[] buffer) {
      int end = 0;
      while (end < buffer.length && buffer[end] != 0) {
        end++;
      }
      return new String(buffer, 0, end, StandardCharsets.US_ASCII);
    }
  }
}
