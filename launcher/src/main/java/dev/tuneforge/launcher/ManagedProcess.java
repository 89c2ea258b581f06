package dev.tuneforge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the launcher whose output goes to a log file and whose id is kept in a pid
 * file, so that one left behind by a launcher that was killed is stopped at the next start.
 */
final class ManagedProcess {
  private final String name;
  private final Process process;
  private final Path pidFile;
  private final Path log;

  private ManagedProcess(String name, Process process, Path pidFile, Path log) {
    this.name = name;
    this.process = process;
    this.pidFile = pidFile;
    this.log = log;
  }

  /**
   * Starts {@code command}, appending its output to {@code log}.
   *
   * @param marker a word of the command line that identifies a left-over process of this kind
   */
  static ManagedProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path workDir,
      Path runDir,
      Path log,
      String marker) {
    Path pidFile = runDir.resolve(name + ".pid");
    stopLeftOverFromPidFile(name, pidFile, marker);
    try {
      Files.createDirectories(runDir);
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "==== " + Instant.now() + " starting " + name + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(environment);
      Process process = builder.start();
      Files.writeString(pidFile, Long.toString(process.pid()));
      return new ManagedProcess(name, process, pidFile, log);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + name + ": " + e.getMessage(), e);
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  Process process() {
    return process;
  }

  Path log() {
    return log;
  }

  /** Asks the process to stop, waits up to {@code grace}, then kills it and what it started. */
  void stop(Duration grace) {
    terminate(process.toHandle(), grace);
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      // a stale pid file is checked against the command line before anything is killed
    }
  }

  /**
   * Kills the process and everything it started, with no chance to clean up, and waits until they
   * are gone.
   */
  void kill() {
    List<ProcessHandle> descendants = process.toHandle().descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.onExit().get(30, TimeUnit.SECONDS);
      for (ProcessHandle child : descendants) {
        child.onExit().get(30, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(pidFile);
    } catch (Exception e) {
      throw new IllegalStateException("could not kill " + this + ": " + e, e);
    }
  }

  /** The last lines of the log, for error messages. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log at " + log + ")";
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }

  /** Stops a process of this name left behind by an earlier launcher that was killed. */
  static void stopLeftOver(String name, Path runDir, String marker) {
    stopLeftOverFromPidFile(name, runDir.resolve(name + ".pid"), marker);
  }

  private static void stopLeftOverFromPidFile(String name, Path pidFile, String marker) {
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isPresent() && commandLine(handle.get()).contains(marker)) {
        System.err.println("Stopping " + name + " (pid " + pid + ") left over from an earlier run");
        terminate(handle.get(), Duration.ofSeconds(10));
      }
      Files.deleteIfExists(pidFile);
    } catch (IOException | NumberFormatException e) {
      // not ours to judge: leave whatever it was alone
    }
  }

  private static String commandLine(ProcessHandle handle) {
    ProcessHandle.Info info = handle.info();
    return info.commandLine().or(info::command).orElse("");
  }

  private static void terminate(ProcessHandle handle, Duration grace) {
    if (!handle.isAlive()) {
      return;
    }
    List<ProcessHandle> descendants = handle.descendants().toList();
    handle.destroy();
    try {
      handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      handle.destroyForcibly();
    }
    for (ProcessHandle child : descendants) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }
}
