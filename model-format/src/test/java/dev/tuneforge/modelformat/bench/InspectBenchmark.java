package dev.tuneforge.modelformat.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.modelformat.fixtures.HubModel;
import dev.tuneforge.modelformat.fixtures.ModelFolderWriter;
import dev.tuneforge.modelformat.fixtures.RealTokenizers;
import dev.tuneforge.modelformat.folder.ChatTemplateFamily;
import dev.tuneforge.modelformat.folder.InspectOptions;
import dev.tuneforge.modelformat.folder.ModelDescription;
import dev.tuneforge.modelformat.folder.ModelFolder;
import dev.tuneforge.modelformat.folder.ModelInspector;
import dev.tuneforge.modelformat.safetensors.DataType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Inspects a 1 GB model folder as an import does and prints the time, the rate against the folder's
 * size and the heap it took: Qwen2.5-0.5B's exact config at full size in BF16, sharded, with the
 * real Qwen tokenizer (bin/fetch-tokenizers), written into a temporary folder first. Pass a folder
 * to inspect that instead.
 */
public final class InspectBenchmark {

  private static final int RUNS = 5;

  private InspectBenchmark() {}

  public static void main(String[] args) throws IOException {
    boolean own = args.length == 0;
    Path folder = own ? Files.createTempDirectory("inspect-bench") : Path.of(args[0]);
    try {
      if (own) {
        long start = System.nanoTime();
        ModelFolderWriter.builder()
            .setConfig(HubModel.QWEN2_5_0_5B.configJson())
            .optDataType(DataType.BF16)
            .optShardAbove(300L * 1024 * 1024)
            .optFilesFrom(RealTokenizers.QWEN3.require())
            .optFile("generation_config.json", HubModel.QWEN2_5_0_5B.generationConfigJson())
            .build()
            .write(folder);
        System.out.printf("wrote %s in %.1f s%n", HubModel.QWEN2_5_0_5B.id(), seconds(start));
      }
      run(folder);
    } finally {
      if (own) {
        delete(folder);
      }
    }
  }

  private static void run(Path folder) throws IOException {
    InspectOptions options = new InspectOptions(ChatTemplateFamily.CHATML);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    double[] wall = new double[RUNS];
    double[] cpu = new double[RUNS];
    double[] tokenizer = new double[RUNS];
    long allocated = 0;
    ModelDescription description = null;
    for (int i = 0; i < RUNS; i++) {
      long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
      long cpuBefore = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      description = ModelInspector.inspect(ModelFolder.of(folder), options);
      wall[i] = seconds(start) * 1000;
      cpu[i] = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e6;
      allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
      long tokenizerStart = threads.getCurrentThreadCpuTime();
      try (HuggingFaceTokenizer loaded =
          HuggingFaceTokenizer.newInstance(folder.resolve("tokenizer.json"))) {
        tokenizer[i] = (threads.getCurrentThreadCpuTime() - tokenizerStart) / 1e6;
      }
    }
    double megabytes = description.weightBytes() / 1e6;
    System.out.printf(
        "%s: %,d parameters, %s, %.0f MB of weights, %d files%n",
        description.architecture(),
        description.parameters(),
        description.dtypes(),
        megabytes,
        description.files().size());
    System.out.printf("inspect, first in this JVM: %.0f ms wall, %.0f ms CPU%n", wall[0], cpu[0]);
    double warmWall = warmMedian(wall);
    double warmCpu = warmMedian(cpu);
    double warmTokenizer = warmMedian(tokenizer);
    System.out.printf(
        "inspect, median of %d more: %.0f ms wall (%.0f MB of weights/s), %.0f ms CPU, of which"
            + " loading tokenizer.json %.0f ms CPU and everything else %.0f ms CPU%n",
        RUNS - 1,
        warmWall,
        megabytes / warmWall * 1000,
        warmCpu,
        warmTokenizer,
        warmCpu - warmTokenizer);
    System.out.printf("heap allocated by one inspection: %.1f MB%n", allocated / 1e6);
    System.out.printf(
        "load average while measuring: %s%n",
        Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }

  private static double warmMedian(double[] runs) {
    double[] warm = Arrays.copyOfRange(runs, 1, runs.length);
    Arrays.sort(warm);
    return warm[warm.length / 2];
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
