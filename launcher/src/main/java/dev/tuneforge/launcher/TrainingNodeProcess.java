package dev.tuneforge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The local CPU training node: the real agent jar, as its own process, enrolled on first start. */
final class TrainingNodeProcess implements AutoCloseable {
  static final String NAME = "local-cpu";
  private static final String CREDENTIAL_FILE = "node-credential.json";

  private final ManagedProcess process;

  private TrainingNodeProcess(ManagedProcess process) {
    this.process = process;
  }

  /**
   * Starts the agent against {@code serverUrl}. An enrolment token is asked for (and passed) only
   * while the node has no credential of its own in {@code workDir}.
   */
  static TrainingNodeProcess start(
      Path jar,
      Path dataDir,
      String serverUrl,
      String childHeap,
      Map<String, String> extraEnvironment,
      Supplier<String> enrolmentToken) {
    return start(
        jar,
        dataDir,
        dataDir.resolve("node"),
        serverUrl,
        childHeap,
        extraEnvironment,
        enrolmentToken);
  }

  /**
   * As above, with a work folder of its own: a node without its credential enrols as a new node.
   */
  static TrainingNodeProcess start(
      Path jar,
      Path dataDir,
      Path workDir,
      String serverUrl,
      String childHeap,
      Map<String, String> extraEnvironment,
      Supplier<String> enrolmentToken) {
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>();
    command.add(Artifacts.java().toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(
        List.of(
            "--server",
            serverUrl,
            "--work-dir",
            workDir.toString(),
            "--name",
            NAME,
            "--child-heap",
            childHeap));
    Map<String, String> environment = new HashMap<>();
    if (!Files.exists(workDir.resolve(CREDENTIAL_FILE))) {
      // Through the environment: a command line is readable by every user of the machine.
      environment.put("TUNEFORGE_ENROL_TOKEN", enrolmentToken.get());
    }
    if (System.getenv("ENGINE_CACHE_DIR") == null) {
      environment.put("ENGINE_CACHE_DIR", dataDir.resolve("djl-cache").toString());
    }
    environment.putAll(extraEnvironment);
    ManagedProcess process =
        ManagedProcess.start(
            "training-node",
            command,
            environment,
            dataDir,
            dataDir.resolve("run"),
            dataDir.resolve("logs/node.log"),
            "training-node.jar");
    process
        .process()
        .onExit()
        .thenAccept(
            exited -> {
              if (exited.exitValue() != 0 && exited.exitValue() != 143) {
                System.err.println(
                    "The local training node exited with code "
                        + exited.exitValue()
                        + "; see "
                        + process.log());
              }
            });
    return new TrainingNodeProcess(process);
  }

  static Path credentialFile(Path dataDir) {
    return dataDir.resolve("node").resolve(CREDENTIAL_FILE);
  }

  boolean alive() {
    return process.alive();
  }

  Path log() {
    return process.log();
  }

  /** Kills the agent and its training child at once, as a machine that loses power would stop. */
  void kill() {
    process.kill();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(15));
  }
}
