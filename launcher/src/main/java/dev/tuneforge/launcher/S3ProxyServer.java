package dev.tuneforge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * S3Proxy with its filesystem backend, in its own JVM so its ~190 jars stay out of the app. CORS is
 * open so that the browser can PUT upload parts to it from the app's page.
 */
final class S3ProxyServer implements AutoCloseable {
  private ManagedProcess process;
  private final List<String> command;
  private final Path dataDir;
  private final int port;

  private S3ProxyServer(ManagedProcess process, List<String> command, Path dataDir, int port) {
    this.process = process;
    this.command = command;
    this.dataDir = dataDir;
    this.port = port;
  }

  /**
   * Writes a file that holds credentials readable by its owner only (0600), from its creation on:
   * an older copy with wider permissions is replaced, not rewritten.
   */
  static void writePrivately(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content);
  }

  static S3ProxyServer start(
      Path jar, Path dataDir, int port, String accessKey, String secretKey, String portSetting) {
    Path runDir = dataDir.resolve("run");
    Path properties = runDir.resolve("s3proxy.properties");
    try {
      Path baseDir = Files.createDirectories(dataDir.resolve("s3"));
      Files.createDirectories(runDir);
      writePrivately(
          properties,
          String.join(
              "\n",
              "# Written by the Tuneforge launcher at every start.",
              "s3proxy.endpoint=http://127.0.0.1:" + port,
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + accessKey,
              "s3proxy.credential=" + secretKey,
              // Browsers PUT upload parts straight to storage from the app's page, another origin.
              "s3proxy.cors-allow-all=true",
              "jclouds.provider=filesystem",
              "jclouds.identity=" + accessKey,
              "jclouds.credential=" + secretKey,
              "jclouds.filesystem.basedir=" + baseDir.toAbsolutePath(),
              ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ManagedProcess.stopLeftOver("s3proxy", runDir, "s3proxy.jar");
    Ports.requireFree(port, "S3Proxy", portSetting);
    List<String> command =
        List.of(
            Artifacts.java().toString(),
            "-Xmx384m",
            "-XX:TieredStopAtLevel=1",
            "-DLOG_LEVEL=warn",
            "-jar",
            jar.toString(),
            "--properties",
            properties.toAbsolutePath().toString());
    return new S3ProxyServer(launch(command, dataDir, port), command, dataDir, port);
  }

  private static ManagedProcess launch(List<String> command, Path dataDir, int port) {
    ManagedProcess process =
        ManagedProcess.start(
            "s3proxy",
            command,
            Map.of(),
            dataDir,
            dataDir.resolve("run"),
            dataDir.resolve("logs/s3proxy.log"),
            "s3proxy.jar");
    try {
      Ports.awaitOpen(port, Duration.ofSeconds(90), process::alive, "S3Proxy");
    } catch (RuntimeException e) {
      String tail = process.logTail(20);
      process.stop(Duration.ofSeconds(5));
      throw new IllegalStateException(
          e.getMessage() + "; its log " + process.log() + " ends with:\n" + tail, e);
    }
    return process;
  }

  /**
   * Stops the server (its objects stay on disk), waits {@code downtime} and starts it again on the
   * same port, as an operator's restart of the object store would.
   */
  synchronized void restart(Duration downtime) {
    process.stop(Duration.ofSeconds(10));
    Ports.sleep(downtime);
    process = launch(command, dataDir, port);
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public synchronized void close() {
    process.stop(Duration.ofSeconds(10));
  }
}
