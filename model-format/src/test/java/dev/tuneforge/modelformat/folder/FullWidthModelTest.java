package dev.tuneforge.modelformat.folder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.modelformat.fixtures.HubModel;
import dev.tuneforge.modelformat.fixtures.ModelFolderWriter;
import dev.tuneforge.modelformat.safetensors.DataType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 0.5B-class model at full width and depth, as a user brings it: Qwen2.5-0.5B's exact config,
 * BF16 weights (about 1 GB) in several shards with their index. Written once per run.
 */
class FullWidthModelTest {

  @TempDir static Path temp;
  static Path folder;
  static long writeMillis;

  @BeforeAll
  static void writeModel() throws IOException {
    long start = System.nanoTime();
    folder =
        ModelFolderWriter.builder()
            .setConfig(HubModel.QWEN2_5_0_5B.configJson())
            .optDataType(DataType.BF16)
            .optShardAbove(300L * 1024 * 1024)
            .optFile("tokenizer.json", TinyModel.tokenizerJson())
            .optFile("tokenizer_config.json", TinyModel.tokenizerConfig())
            .optFile("generation_config.json", HubModel.QWEN2_5_0_5B.generationConfigJson())
            .build()
            .write(temp.resolve("Qwen2.5-0.5B"));
    writeMillis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("Wrote Qwen2.5-0.5B in BF16 in " + writeMillis + " ms");
  }

  @Test
  void inspectsTheShardedBf16ModelFromItsHeadersAlone() throws IOException {
    ObservedFolder counting = new ObservedFolder(folder, Map.of());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    ModelDescription description = ModelInspector.inspect(counting);
    long cpuMillis = (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000;
    System.out.printf(
        "Inspected Qwen2.5-0.5B (BF16, sharded) in %d ms (%d ms CPU), reading %d bytes%n",
        (System.nanoTime() - start) / 1_000_000, cpuMillis, counting.bytesRead());

    // Qwen2.5-0.5B's published size: 494,032,768 parameters with the tied lm_head counted once.
    assertThat(description.parameters()).isEqualTo(494_032_768L);
    assertThat(description.architecture()).isEqualTo("Qwen2ForCausalLM");
    assertThat(description.dtypes()).containsExactly("BF16");
    assertThat(description.contextLength()).isEqualTo(32768);
    assertThat(description.eosTokenIds()).containsExactly(151643);
    assertThat(description.weightBytes()).isGreaterThan(988_000_000L);
    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files.filter(f -> f.toString().endsWith(".safetensors")).count())
          .isGreaterThanOrEqualTo(3);
    }
    long smallFiles = 0;
    for (Map.Entry<String, Long> file : description.files().entrySet()) {
      smallFiles += file.getKey().endsWith(".safetensors") ? 0 : file.getValue();
    }
    assertThat(counting.bytesRead())
        .as("the small files whole, and of the weights only their headers")
        .isLessThan(smallFiles + 1024 * 1024);
    assertThat(cpuMillis).isLessThan(5_000);
  }
}
