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
    NodeOptions options =
        new NodeOptions(
            java.net.URI.create("http://a"),
            jobDir,
            null,
            "n",
            java.time.Duration.ofSeconds(5),
            "cpu",
            "6g",
            NodeOptions.TRAINER_MAIN,
            NodeOptions.DEFAULT_LEASE_TIMEOUT);

    assertThat(new TrainingChild(options).command(jobDir))
        .startsWith(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx6g")
        .endsWith("dev.tuneforge.trainingnode.jobprocess.TrainingJobMain", jobDir.toString())
        .contains("-cp");
  }
}
