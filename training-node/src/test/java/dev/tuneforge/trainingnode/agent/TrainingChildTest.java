package dev.tuneforge.trainingnode.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.protocol.JobEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingChildTest {
  @TempDir Path jobDir;

  @Test
  void takesJsonLinesAsEventsAndEverythingElseAsText() {
    JobEvent metric = JobEvent.metric(5, 10, 1.25, 2e-4, 300.0, 1000);

    assertThat(TrainingChild.parseEvent(Json.MAPPER.writeValueAsString(metric))).isEqualTo(metric);
    assertThat(TrainingChild.parseEvent("Loading native library")).isNull();
    assertThat(TrainingChild.parseEvent("{not json")).isNull();
    assertThat(TrainingChild.parseEvent("{\"hello\":1}")).isNull();
  }

  @Test
  void crashReasonEndsWithTheLastLinesOfTheLog() throws Exception {
    String log =
        IntStream.rangeClosed(1, 5000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
    Files.writeString(jobDir.resolve("child.log"), log + "\n");

    String reason = JobRunner.crashReason(jobDir, 137);

    assertThat(reason).startsWith("training process exited with code 137 (killed;");
    assertThat(reason.lines().skip(1)).hasSize(15).first().isEqualTo("line 4986");
    assertThat(reason).endsWith("line 5000");
  }

  @Test
  void runsTheChildWithTheAgentsJavaAndClassPath() {
    NodeOptions options = options("cpu");

    assertThat(new TrainingChild(options).command(jobDir))
        .startsWith(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx6g")
        .endsWith("dev.tuneforge.trainingnode.jobprocess.TrainingJobMain", jobDir.toString())
        .contains("-cp");
  }

  @Test
  void eachChildIsPinnedToItsOwnGpu() {
    NodeOptions cuda = options("cuda");
    dev.tuneforge.protocol.Gpu second =
        new dev.tuneforge.protocol.Gpu(1, "GPU", 1L << 34, 1L << 34, "12.4", null, null);

    assertThat(new TrainingChild(cuda, second).deviceEnvironment())
        .containsEntry("TUNEFORGE_DEVICE", "cuda")
        .containsEntry("CUDA_VISIBLE_DEVICES", "1")
        .doesNotContainKey("TUNEFORGE_MEMORY_LIMIT");
    assertThat(new TrainingChild(cuda).deviceEnvironment())
        .containsExactlyEntriesOf(java.util.Map.of("TUNEFORGE_DEVICE", "cuda"));

    NodeOptions simulated =
        NodeOptions.parse(
            new String[] {
              "--server",
              "http://a",
              "--work-dir",
              jobDir.toString(),
              "--device",
              "cuda",
              "--simulate-gpus",
              "2x1GiB",
              "--child-memory-limit",
              "1GiB"
            },
            java.util.Map.of());
    assertThat(new TrainingChild(simulated, simulated.simulatedGpus().get(1)).deviceEnvironment())
        .containsEntry("TUNEFORGE_DEVICE", "cpu")
        .containsEntry("TUNEFORGE_SIMULATED_GPU", "1")
        .containsEntry("TUNEFORGE_MEMORY_LIMIT", Long.toString(1L << 30))
        .doesNotContainKey("CUDA_VISIBLE_DEVICES");
  }

  private NodeOptions options(String device) {
    return new NodeOptions(
        java.net.URI.create("http://a"),
        jobDir,
        null,
        "n",
        java.time.Duration.ofSeconds(5),
        device,
        "6g",
        NodeOptions.TRAINER_MAIN,
        NodeOptions.DEFAULT_LEASE_TIMEOUT);
  }
}
