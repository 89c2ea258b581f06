package dev.tuneforge.modelformat.bench;

import dev.tuneforge.modelformat.fixtures.HubModel;
import dev.tuneforge.modelformat.fixtures.ModelFolderWriter;
import dev.tuneforge.modelformat.fixtures.RealTokenizers;
import dev.tuneforge.modelformat.gguf.GgufExport;
import dev.tuneforge.modelformat.gguf.GgufFileType;
import dev.tuneforge.modelformat.safetensors.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Exports a 0.5B model as GGUF the way a node does after a merge and prints the time of each step
 * and the files' sizes: Qwen2.5-0.5B's exact config at full size in BF16, sharded, with the real
 * Qwen tokenizer (bin/fetch-tokenizers), written into a temporary folder first. Pass a folder to
 * export that instead.
 */
public final class GgufBenchmark {

  private GgufBenchmark() {}

  public static void main(String[] args) throws IOException {
    boolean own = args.length == 0;
    Path folder = own ? Files.createTempDirectory("gguf-bench") : Path.of(args[0]);
    Path out = Files.createTempDirectory("gguf-bench-out");
    try {
      if (own) {
        long start = System.nanoTime();
        ModelFolderWriter.builder()
            .setConfig(HubModel.QWEN2_5_0_5B.configJson())
            .optDataType(DataType.BF16)
            .optShardAbove(300L * 1024 * 1024)
            .optFilesFrom(RealTokenizers.QWEN3.require())
            .build()
            .write(folder);
        System.out.printf("wrote %s in %.1f s%n", HubModel.QWEN2_5_0_5B.id(), seconds(start));
      }
      long start = System.nanoTime();
      GgufExport export = GgufExport.read(folder);
      System.out.printf("read the folder's weights and config: %.1f s%n", seconds(start));
      for (GgufFileType type : GgufFileType.values()) {
        Path file = out.resolve("model-" + type.suffix() + ".gguf");
        start = System.nanoTime();
        export.write(file, type, "benchmark");
        System.out.printf(
            "wrote %s: %.1f s, %.0f MB%n",
            file.getFileName(), seconds(start), Files.size(file) / 1e6);
      }
      Runtime runtime = Runtime.getRuntime();
      System.out.printf(
          "heap in use at the end: %.0f MB; load average: %s%n",
          (runtime.totalMemory() - runtime.freeMemory()) / 1e6,
          Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } finally {
      delete(out);
      if (own) {
        delete(folder);
      }
    }
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
