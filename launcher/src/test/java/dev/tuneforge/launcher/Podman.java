package dev.tuneforge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The podman command line as the image tests use it: with {@code docker/containers.conf}, as
 * docker/build.sh uses it (runc, raised ulimits), secrets passed through podman's environment
 * rather than its arguments.
 */
final class Podman {
  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  private final Map<String, String> environment;

  private Podman(Map<String, String> environment) {
    this.environment = environment;
  }

  /**
   * Podman, or the test skips where it cannot run (not installed, or not usable by this user);
   * under {@code CI=true} it fails instead, since CI must run the images.
   */
  static Podman availableOrSkip() {
    String containersConf =
        System.getenv()
            .getOrDefault(
                "CONTAINERS_CONF", REPOSITORY.resolve("docker/containers.conf").toString());
    Podman podman = new Podman(Map.of("CONTAINERS_CONF", containersConf));
    String problem;
    try {
      Result info = podman.run(Duration.ofMinutes(1), Map.of(), "info", "--format", "{{.Host.OS}}");
      problem = info.exitCode() == 0 ? null : "podman info failed: " + info.output();
    } catch (UncheckedIOException e) {
      problem = "podman is not installed (apt-get install -y podman buildah runc mmdebstrap unzip)";
    }
    if (problem != null) {
      assertThat("true".equalsIgnoreCase(System.getenv("CI")))
          .as("CI runs the container images, but " + problem)
          .isFalse();
      Assumptions.abort(problem);
    }
    return podman;
  }

  /** Runs {@code podman args...}, failing the test unless it exits 0; returns its output. */
  String ok(String... args) {
    return ok(Map.of(), args);
  }

  /** As {@link #ok(String...)}, with variables that {@code -e NAME} arguments pass on. */
  String ok(Map<String, String> variables, String... args) {
    Result result = run(Duration.ofMinutes(5), variables, args);
    assertThat(result.exitCode())
        .as("podman %s:\n%s", String.join(" ", args), result.output())
        .isZero();
    return result.output().strip();
  }

  /** Runs {@code podman args...} and returns its exit code and output, whatever they are. */
  Result run(Duration timeout, Map<String, String> variables, String... args) {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(args));
    return exec(command, timeout, variables, null);
  }

  /** Runs a program (docker/build.sh) with podman's settings, its output also appended to a log. */
  Result exec(
      List<String> command,
      Duration timeout,
      Map<String, String> variables,
      @org.jspecify.annotations.Nullable Path log) {
    try {
      Path output = log != null ? log : Files.createTempFile("podman-", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(REPOSITORY.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(environment);
      builder.environment().putAll(variables);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Result(124, String.join(" ", command) + " ran past " + timeout);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (log == null) {
        Files.delete(output);
      }
      return new Result(process.exitValue(), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether the container is still running. */
  boolean running(String container) {
    Result state =
        run(
            Duration.ofSeconds(30),
            Map.of(),
            "inspect",
            "--format",
            "{{.State.Running}}",
            container);
    return state.exitCode() == 0 && state.output().strip().equals("true");
  }

  /** The last lines of a container's log, for failure messages. */
  String logTail(String container, int lines) {
    return run(
            Duration.ofSeconds(30), Map.of(), "logs", "--tail", Integer.toString(lines), container)
        .output();
  }

  /** Removes containers and volumes quietly: for clean-up after a test, passed or not. */
  void removeQuietly(List<String> containers, List<String> volumes) {
    for (String container : containers) {
      run(Duration.ofMinutes(1), Map.of(), "rm", "-f", "-v", "-t", "5", container);
    }
    for (String volume : volumes) {
      run(Duration.ofMinutes(1), Map.of(), "volume", "rm", "-f", volume);
    }
  }

  record Result(int exitCode, String output) {}
}
