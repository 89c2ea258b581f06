package dev.tuneforge.trainingnode.jobprocess;

import dev.tuneforge.modelformat.ModelConfig;
import dev.tuneforge.modelformat.memory.MemoryEstimate;
import dev.tuneforge.protocol.TrainingSpec;
import dev.tuneforge.trainingnode.train.TrainingFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The job's memory: the estimate dispatch used, the device's memory, and on a CPU device a check
 * after every optimiser step that the process stays within the memory it may use (a GPU's engine
 * raises its own out-of-memory error). Out of memory fails the job with both figures; the
 * checkpoints written so far stay.
 */
final class MemoryWatch {
  private final MemoryEstimate estimate;
  private final TrainingDevice device;

  private MemoryWatch(MemoryEstimate estimate, TrainingDevice device) {
    this.estimate = estimate;
    this.device = device;
  }

  static MemoryWatch forJob(TrainingSpec spec, ModelConfig config, TrainingDevice device) {
    long parameters = MemoryEstimate.weightCount(config);
    boolean full = spec.fullFineTuning();
    MemoryEstimate.Job job =
        new MemoryEstimate.Job(
            MemoryEstimate.Method.of(spec.method()),
            spec.hyperparameters().batchSize(),
            spec.hyperparameters().maxSequenceLength(),
            full ? 0 : spec.lora().r(),
            full ? java.util.List.of() : spec.lora().targetModules(),
            4);
    return new MemoryWatch(MemoryEstimate.of(config, parameters, job), device);
  }

  String figures() {
    return "the job needs ≈ "
        + MemoryEstimate.gib(estimate.total())
        + " by the estimate; the device offers "
        + MemoryEstimate.gib(device.memoryBytes());
  }

  /** On a CPU device: fails the job once the process holds more than the memory it may use. */
  void check(int step) {
    if (!device.device().isGpu()) {
      long resident = residentBytes();
      if (resident > device.memoryBytes()) {
        throw new TrainingFailedException(
            "out of memory at step "
                + step
                + ": the training process holds "
                + MemoryEstimate.gib(resident)
                + ", more than the "
                + MemoryEstimate.gib(device.memoryBytes())
                + " it may use; try a smaller batch size or maxSequenceLength, with gradient"
                + " accumulation to keep the effective batch");
      }
    }
  }

  /** VmRSS from /proc/self/status; 0 where there is none. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
