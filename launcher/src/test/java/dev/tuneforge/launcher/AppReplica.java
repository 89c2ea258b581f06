package dev.tuneforge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A second app replica in its own JVM, on the running platform's database, object store and
 * secrets: what a second pod of the app's deployment is. It runs from the classpath of the test (or
 * benchmark) that starts it, and logs to {@code logs/<name>.log} in the platform's data folder.
 */
final class AppReplica implements AutoCloseable {
  private final ManagedProcess process;
  private final int port;

  private AppReplica(ManagedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  static AppReplica start(LocalPlatform platform, String name) {
    int port = Ports.resolve(0);
    Path data = platform.dataDir();
    Path log = data.resolve("logs/" + name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Artifacts.java().toString());
    command.addAll(List.of("-Xmx768m", "-XX:TieredStopAtLevel=1", "-cp"));
    command.add(argumentFile(data.resolve("run/" + name + ".classpath")));
    command.add("dev.tuneforge.app.TuneforgeApplication");
    // Spring joins repeated arguments with commas, so its own port and log replace the platform's
    platform.appArguments().stream()
        .filter(arg -> !arg.startsWith("--server.port=") && !arg.startsWith("--logging.file.name="))
        .forEach(command::add);
    command.add("--server.port=" + port);
    command.add("--logging.file.name=" + log);
    ManagedProcess process =
        ManagedProcess.start(
            name, command, Map.of(), data, data.resolve("run"), log, "TuneforgeApplication");
    try {
      Ports.awaitOpen(port, Duration.ofMinutes(4), process::alive, "app replica " + name);
    } catch (RuntimeException e) {
      String tail = process.logTail(40);
      process.stop(Duration.ofSeconds(5));
      throw new IllegalStateException(e.getMessage() + "; its log ends with:\n" + tail, e);
    }
    return new AppReplica(process, port);
  }

  /**
   * The classpath in a file, {@code @file} on the command line: it is longer than ARG_MAX likes.
   */
  private static String argumentFile(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "\"" + System.getProperty("java.class.path") + "\"");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "@" + file;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(20));
  }
}
