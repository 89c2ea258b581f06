package dev.tuneforge.trainingnode.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TokenBatch;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Loads a model shape for LoRA or QLoRA ({@code --method}) and prints what the loaded model holds:
 * the Java heap in use after a full GC (where QLoRA's NF4 base lives) and the process's resident
 * set (where PyTorch keeps fp32 arrays), then the resident set during one training step (forward
 * and backward of one row). Run each method in its own JVM with a heap that shrinks after GC, e.g.
 * {@code -XX:+UseSerialGC -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10}.
 */
public final class QLoraMemoryBenchmark {

  static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("hidden", "896"),
          Map.entry("layers", "24"),
          Map.entry("heads", "14"),
          Map.entry("kv-heads", "2"),
          Map.entry("intermediate", "4864"),
          Map.entry("vocab", "151936"),
          Map.entry("seq", "64"),
          Map.entry("r", "16"),
          Map.entry("threads", "1"),
          Map.entry("method", "qlora"),
          Map.entry("dir", "target/qlora-memory-model"));

  private QLoraMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs options = BenchArgs.parse(args, DEFAULTS);
    options.applyThreads();
    ModelShape shape = ModelShape.of(options);
    Path dir = Path.of(options.text("dir"));
    if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
      shape.writeTo(dir, 42);
    }
    boolean qlora = options.text("method").equals("qlora");
    LoraSettings lora =
        new LoraSettings(
            options.integer("r"), 2.0 * options.integer("r"), 0, LlamaModel.PROJECTIONS);
    Engine.getEngine("PyTorch");
    long heapBefore = heapAfterGc().getUsed();
    long residentBefore = resident();
    try (LlamaModel model =
            qlora ? LlamaModel.loadQuantized(dir, lora, 1) : LlamaModel.load(dir, lora, 1);
        NDManager manager = NDManager.newBaseManager()) {
      MemoryUsage heap = heapAfterGc();
      long loaded = resident();
      System.out.printf(
          "%s, %s: Java heap in use %.1f MiB (committed %.1f MiB), resident set %.1f MiB more"
              + " than before loading%n",
          options.text("method"),
          shape,
          mib(heap.getUsed() - heapBefore),
          mib(heap.getCommitted()),
          mib(loaded - residentBefore));
      int length = options.integer("seq");
      long[] ids = new long[length];
      long[] mask = new long[length];
      long[] labels = new long[length];
      for (int i = 0; i < length; i++) {
        ids[i] = (i * 7919L) % shape.vocab();
        labels[i] = ids[i];
      }
      Arrays.fill(mask, 1);
      try (NDManager step = manager.newSubManager()) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray loss = model.loss(step, new TokenBatch(1, length, ids, mask, labels), true);
          collector.backward(loss);
        }
        System.out.printf(
            "%s: resident set during a training step of %d tokens %.1f MiB more than before"
                + " loading%n",
            options.text("method"), length, mib(resident() - residentBefore));
      }
    }
  }

  private static MemoryUsage heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
  }

  /** VmRSS from /proc/self/status in bytes. */
  private static long resident() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
