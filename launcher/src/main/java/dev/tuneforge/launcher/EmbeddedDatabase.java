package dev.tuneforge.launcher;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Real PostgreSQL 17 from zonky's Maven Central binaries, keeping its data in a folder that
 * survives restarts. The launcher runs {@code initdb} and {@code pg_ctl} itself rather than through
 * zonky's {@code EmbeddedPostgres}, whose own JVM shutdown hook would stop the database while the
 * app is still closing. As root the binaries run under {@code unshare -U}, as zonky does, because
 * initdb and postgres refuse root.
 */
final class EmbeddedDatabase implements AutoCloseable {
  static final String DATABASE = "tuneforge";
  static final String USER = "tuneforge";
  static final String PASSWORD = "tuneforge";
  private static final String SUPERUSER = "postgres";

  private final Path binaries;
  private final Path dataDir;
  private final Path log;
  private final int port;
  private final boolean created;
  private boolean running = true;

  private EmbeddedDatabase(Path binaries, Path dataDir, Path log, int port, boolean created) {
    this.binaries = binaries;
    this.dataDir = dataDir;
    this.log = log;
    this.port = port;
    this.created = created;
  }

  /**
   * Starts PostgreSQL on {@code port} with its data in {@code dataDir}, creating both on first use.
   */
  static EmbeddedDatabase start(Path dataDir, int port, Path log, String portSetting) {
    boolean fresh = !Files.isRegularFile(dataDir.resolve("postgresql.conf"));
    stopOrphanedPostmaster(dataDir);
    Ports.requireFree(port, "PostgreSQL", portSetting);
    Path binaries = binaries();
    try {
      Files.createDirectories(log.getParent());
      if (fresh) {
        Files.createDirectories(dataDir);
        run(
            binaries,
            log,
            Duration.ofMinutes(3),
            "initdb",
            "-A",
            "trust",
            "-U",
            SUPERUSER,
            "-D",
            dataDir.toString(),
            "-E",
            "UTF-8",
            "--locale=C",
            "--no-instructions");
      }
      pgCtlStart(binaries, dataDir, log, port);
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not start; see " + log, e);
    }
    EmbeddedDatabase database = new EmbeddedDatabase(binaries, dataDir, log, port, fresh);
    try {
      database.ensureDatabase();
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    return database;
  }

  /** True when this start created the cluster, so nothing from an earlier run is in it. */
  boolean created() {
    return created;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  int port() {
    return port;
  }

  /**
   * Stops the server as an operator's restart would (fast shutdown: clients are disconnected),
   * waits {@code downtime} and starts it again on the same port and data.
   */
  synchronized void restart(Duration downtime) {
    if (!running) {
      throw new IllegalStateException("PostgreSQL is not running");
    }
    try {
      pgCtlStop(binaries, dataDir, log);
      Ports.sleep(downtime);
      pgCtlStart(binaries, dataDir, log, port);
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not restart; see " + log, e);
    }
  }

  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    try {
      pgCtlStop(binaries, dataDir, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pgCtlStart(Path binaries, Path dataDir, Path log, int port)
      throws IOException {
    run(
        binaries,
        log,
        Duration.ofMinutes(3),
        "pg_ctl",
        "-D",
        dataDir.toString(),
        "-l",
        log.toString(),
        "-w",
        "-t",
        "150",
        "-o",
        "-p " + port + " -c listen_addresses=127.0.0.1 -c timezone=UTC",
        "start");
  }

  private static void pgCtlStop(Path binaries, Path dataDir, Path log) throws IOException {
    run(
        binaries,
        log,
        Duration.ofSeconds(60),
        "pg_ctl",
        "-D",
        dataDir.toString(),
        "-m",
        "fast",
        "-w",
        "-t",
        "45",
        "stop");
  }

  @Override
  public String toString() {
    return "PostgreSQL on port " + port;
  }

  private void ensureDatabase() {
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    try (Connection connection = DriverManager.getConnection(url, SUPERUSER, "");
        Statement statement = connection.createStatement()) {
      if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER)) {
        statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
      }
      if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
        statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not create the " + DATABASE + " database: " + e.getMessage(), e);
    }
  }

  private static boolean exists(Connection connection, String query, String value)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, value);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** Runs a PostgreSQL program, its output appended to the log; fails on a non-zero exit. */
  private static void run(Path binaries, Path log, Duration timeout, String program, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    if (isRoot()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.add(binaries.resolve("bin").resolve(program).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    try {
      if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            program + " did not finish within " + timeout.toSeconds() + " s; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + program, e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          program
              + " failed with exit code "
              + process.exitValue()
              + "; see "
              + log
              + ":\n"
              + tail(log));
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"))
        || ProcessHandle.current().info().user().map("root"::equals).orElse(false);
  }

  /**
   * Unpacks the PostgreSQL binaries from the zonky jar on the class path, once per version, into
   * {@code java.io.tmpdir/tuneforge-postgres/<digest>}.
   */
  private static Path binaries() {
    String arch = System.getProperty("os.arch");
    String machine = "amd64".equals(arch) ? "x86_64" : arch;
    byte[] archive;
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", machine)) {
      archive = in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "No PostgreSQL binaries for Linux " + machine + " on the class path", e);
    }
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "tuneforge-postgres");
    Path target = base.resolve(sha256(archive).substring(0, 16));
    if (Files.isRegularFile(target.resolve(".complete"))) {
      return target;
    }
    Path staging = null;
    try {
      Files.createDirectories(base);
      staging = Files.createTempDirectory(base, "unpack-");
      unpack(archive, staging);
      Files.createFile(staging.resolve(".complete"));
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        staging = null;
      } catch (FileAlreadyExistsException
          | DirectoryNotEmptyException
          | AtomicMoveNotSupportedException e) {
        // another launcher unpacked the same binaries meanwhile
        if (!Files.isRegularFile(target.resolve(".complete"))) {
          throw e;
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not unpack the PostgreSQL binaries into " + base, e);
    } finally {
      deleteQuietly(staging);
    }
  }

  private static void unpack(byte[] archive, Path target) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = target.resolve(entry.getName()).normalize();
        if (!path.startsWith(target)) {
          throw new IOException("unexpected entry " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createDirectories(path.getParent());
          Files.createLink(path, target.resolve(entry.getLinkName()).normalize());
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path);
          if ((entry.getMode() & 0100) != 0 || entry.getName().contains("bin/")) {
            path.toFile().setExecutable(true, false);
          }
        }
      }
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path directory) {
    if (directory == null || !Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // leftovers in the temp folder are harmless
    }
  }

  /**
   * A launcher killed with SIGKILL leaves its postmaster running (pg_ctl detaches it). Its pid is
   * the first line of {@code postmaster.pid}; stop it (fast shutdown) before starting.
   */
  private static void stopOrphanedPostmaster(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    try {
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.isEmpty()) {
        return;
      }
      long pid = Long.parseLong(lines.getFirst().strip());
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isEmpty() || !handle.get().info().command().orElse("").endsWith("postgres")) {
        return; // a stale file: PostgreSQL replaces it at the next start
      }
      System.err.println("Stopping PostgreSQL (pid " + pid + ") left over from an earlier run");
      new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (handle.get().isAlive() && System.nanoTime() < deadline) {
        Ports.sleep(Duration.ofMillis(200));
      }
      if (handle.get().isAlive()) {
        throw new IllegalStateException(
            "PostgreSQL (pid "
                + pid
                + ") from an earlier run still uses "
                + dataDir
                + "; stop it first");
      }
    } catch (IOException | NumberFormatException e) {
      // an unreadable pid file: let PostgreSQL itself judge it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
