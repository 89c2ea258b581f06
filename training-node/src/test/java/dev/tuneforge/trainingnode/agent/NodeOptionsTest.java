package dev.tuneforge.trainingnode.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeOptionsTest {
  @Test
  void readsTheEnvironmentWithDefaultsForTheRest() {
    NodeOptions options =
        NodeOptions.parse(
            new String[0],
            Map.of(
                "TUNEFORGE_SERVER", "http://app:8080/",
                "TUNEFORGE_WORK_DIR", "/var/lib/tuneforge",
                "TUNEFORGE_ENROL_TOKEN", "tok",
                "TUNEFORGE_NODE_NAME", "gpu-1"));

    assertThat(options.server()).isEqualTo(URI.create("http://app:8080"));
    assertThat(options.workDir()).isEqualTo(Path.of("/var/lib/tuneforge"));
    assertThat(options.token()).isEqualTo("tok");
    assertThat(options.name()).isEqualTo("gpu-1");
    assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.device()).isEqualTo("cpu");
    assertThat(options.childHeap()).isEqualTo("4g");
    assertThat(options.childMainClass())
        .isEqualTo("dev.tuneforge.trainingnode.jobprocess.TrainingJobMain");
    assertThat(options.credentialFile())
        .isEqualTo(Path.of("/var/lib/tuneforge/node-credential.json"));
  }

  @Test
  void flagsWinOverTheEnvironment() {
    NodeOptions options =
        NodeOptions.parse(
            new String[] {
              "--server",
              "https://tf.example",
              "--work-dir",
              "/w",
              "--name",
              "n",
              "--heartbeat-seconds",
              "2",
              "--device",
              "cuda",
              "--child-heap",
              "12g"
            },
            Map.of("TUNEFORGE_SERVER", "http://other", "TUNEFORGE_NODE_NAME", "env-name"));

    assertThat(options.server()).isEqualTo(URI.create("https://tf.example"));
    assertThat(options.name()).isEqualTo("n");
    assertThat(options.token()).isNull();
    assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.device()).isEqualTo("cuda");
    assertThat(options.childHeap()).isEqualTo("12g");
  }

  @Test
  void simulatedGpusAndAMemoryLimitAreForTestsAndSayWhatTheyAre() {
    NodeOptions options =
        NodeOptions.parse(
            new String[] {
              "--server",
              "http://a",
              "--work-dir",
              "/w",
              "--simulate-gpus",
              "2x16GiB",
              "--child-memory-limit",
              "300MiB"
            },
            Map.of());

    assertThat(options.simulatedGpus())
        .extracting(dev.tuneforge.protocol.Gpu::name)
        .containsExactly("Simulated GPU 0 (for tests)", "Simulated GPU 1 (for tests)");
    assertThat(options.simulatedGpus())
        .allSatisfy(gpu -> assertThat(gpu.memoryBytes()).isEqualTo(16L << 30));
    assertThat(options.childMemoryLimit()).isEqualTo(300L << 20);
    assertThat(NodeOptions.USAGE).contains("--simulate-gpus NxSIZE   FOR TESTS ONLY");
    assertThatThrownBy(
            () ->
                NodeOptions.parse(
                    new String[] {
                      "--server", "http://a", "--work-dir", "/w", "--simulate-gpus", "2"
                    },
                    Map.of()))
        .hasMessage("--simulate-gpus must look like 2x16GiB (count x memory), got '2'");
    assertThatThrownBy(
            () ->
                NodeOptions.parse(
                    new String[] {
                      "--server", "http://a", "--work-dir", "/w", "--child-memory-limit", "lots"
                    },
                    Map.of()))
        .hasMessage("--child-memory-limit needs a size such as 16GiB or 300MiB, got 'lots'");
  }

  @Test
  void explainsWhatIsWrong() {
    assertThatThrownBy(() -> NodeOptions.parse(new String[] {"--work-dir", "/w"}, Map.of()))
        .hasMessageContaining("--server");
    assertThatThrownBy(() -> NodeOptions.parse(new String[] {"--server", "http://a"}, Map.of()))
        .hasMessageContaining("--work-dir");
    assertThatThrownBy(
            () ->
                NodeOptions.parse(
                    new String[] {"--server", "http://a", "--work-dir", "/w", "--gpu", "1"},
                    Map.of()))
        .hasMessage("unknown option --gpu");
    assertThatThrownBy(
            () ->
                NodeOptions.parse(
                    new String[] {
                      "--server", "http://a", "--work-dir", "/w", "--child-heap", "lots"
                    },
                    Map.of()))
        .hasMessageContaining("--child-heap");
    assertThatThrownBy(
            () ->
                NodeOptions.parse(
                    new String[] {"--server", "ftp://a", "--work-dir", "/w"}, Map.of()))
        .hasMessageContaining("http(s)");
  }
}
