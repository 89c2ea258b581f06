package dev.tuneforge.launcher;

import dev.tuneforge.app.TuneforgeApplication;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.node.NodeService;
import dev.tuneforge.app.tenancy.TenantService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Tuneforge on one machine with one command: embedded PostgreSQL, S3Proxy, the app and one CPU
 * training node, all keeping their state in one data folder so that a restart carries on where the
 * last run stopped. {@link #main} is the {@code run.sh} entry point; tests call {@link
 * #start(Settings)} and close the handle.
 */
public final class LocalPlatform implements AutoCloseable {
  /** The object-store credentials S3Proxy accepts and the app signs with; local use only. */
  static final String STORAGE_ACCESS_KEY = "tuneforge";

  static final String STORAGE_SECRET_KEY = "tuneforge-secret";
  static final String ADMIN_USERNAME = "admin";

  private final Settings settings;
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();
  private @Nullable FileLock dataLock;
  private @Nullable ConfigurableApplicationContext context;
  private @Nullable TrainingNodeProcess node;
  private @Nullable EmbeddedDatabase database;
  private @Nullable S3ProxyServer storage;
  private List<String> appArguments = List.of();
  private String baseUrl = "";
  private String adminPassword = "";
  private String adminApiKey = "";
  private boolean closed;
  private final boolean withKeycloak;
  private @Nullable KeycloakServer keycloak;

  private LocalPlatform(Settings settings) {
    this(settings, false);
  }

  private LocalPlatform(Settings settings, boolean withKeycloak) {
    this.settings = settings;
    this.withKeycloak = withKeycloak;
  }

  public static void main(String[] args) {
    Settings settings;
    boolean withKeycloak = List.of(args).contains("--keycloak");
    try {
      settings =
          Settings.fromEnvironment()
              .withArguments(
                  java.util.Arrays.stream(args)
                      .filter(arg -> !arg.equals("--keycloak"))
                      .toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(Settings.USAGE);
      System.exit(2);
      return;
    }
    long started = System.nanoTime();
    LocalPlatform platform = new LocalPlatform(settings, withKeycloak);
    // Registered first, so that Ctrl+C during start-up also stops what already runs.
    Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "tuneforge-local-shutdown"));
    try {
      platform.boot();
    } catch (RuntimeException e) {
      System.err.println();
      System.err.println("Tuneforge did not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println(platform.banner(Duration.ofNanos(System.nanoTime() - started)));
  }

  /**
   * Starts every part in order (PostgreSQL, S3Proxy, the app, the demo model, the training node);
   * if one fails, stops those already running and rethrows.
   */
  public static LocalPlatform start(Settings settings) {
    LocalPlatform platform = new LocalPlatform(settings);
    try {
      platform.boot();
      return platform;
    } catch (RuntimeException | Error e) {
      platform.close();
      throw e;
    }
  }

  private void boot() {
    quietenEarlyLogging();
    Path data = settings.dataDir();
    lockDataFolder(data);

    EmbeddedDatabase database =
        EmbeddedDatabase.start(
            data.resolve("postgres"),
            Ports.resolve(settings.postgresPort()),
            data.resolve("logs/postgres.log"),
            "TUNEFORGE_POSTGRES_PORT");
    own(database);
    this.database = database;
    if (database.created()) {
      // A new, empty database knows no node: a credential kept from an older one would be refused.
      deleteIfExists(TrainingNodeProcess.credentialFile(data));
    }

    Path s3proxyJar =
        settings.s3proxyJar() != null ? settings.s3proxyJar() : Artifacts.s3proxyJar();
    S3ProxyServer s3 =
        S3ProxyServer.start(
            s3proxyJar,
            data,
            Ports.resolve(settings.s3Port()),
            STORAGE_ACCESS_KEY,
            STORAGE_SECRET_KEY,
            "TUNEFORGE_S3_PORT");
    own(s3);
    storage = s3;

    adminPassword = AdminPassword.loadOrCreate(data.resolve("admin-password.txt"));
    adminApiKey = AdminPassword.loadOrCreateApiKey(data.resolve("admin-api-key.txt"));
    Map<String, String> identity = Map.of();
    if (withKeycloak) {
      KeycloakServer started = startKeycloak(data);
      keycloak = started;
      own(started);
      identity = started.appProperties();
    }
    ConfigurableApplicationContext app = startApp(database, s3, identity);
    context = app;
    own(app::close);
    String port =
        app.getEnvironment()
            .getProperty("local.server.port", Integer.toString(settings.httpPort()));
    baseUrl = "http://127.0.0.1:" + port;

    DemoModel.ensureRegistered(app.getBean(CatalogService.class));
    if (keycloak != null) {
      app.getBean(TenantService.class).ensureSsoTenant("Demo", KeycloakServer.GROUP);
    }

    if (settings.startNode()) {
      Path nodeJar = settings.nodeJar() != null ? settings.nodeJar() : Artifacts.nodeJar();
      NodeService nodes = app.getBean(NodeService.class);
      TrainingNodeProcess started =
          TrainingNodeProcess.start(
              nodeJar,
              data,
              baseUrl,
              settings.nodeChildHeap(),
              settings.nodeEnvironment(),
              nodes::issueEnrolmentTokenForLocalNode);
      node = started;
      own(started);
    }
  }

  /** Keycloak with the demo realm, its secrets kept in the data folder; ./run.sh --keycloak. */
  private KeycloakServer startKeycloak(Path data) {
    Path home = data.resolve("keycloak");
    Map<String, String> secrets = new LinkedHashMap<>();
    for (String key :
        List.of("client", "console", KeycloakServer.ADMIN_USER, KeycloakServer.MEMBER_USER)) {
      secrets.put(key, AdminPassword.loadOrCreate(home.resolve("secrets/" + key + ".txt")));
    }
    int port =
        Integer.parseInt(
            Settings.setting("tuneforge.keycloak-port", "TUNEFORGE_KEYCLOAK_PORT", "18080"));
    return KeycloakServer.start(
        home, data.resolve("logs"), port, "http://127.0.0.1:" + settings.httpPort(), secrets);
  }

  private ConfigurableApplicationContext startApp(
      EmbeddedDatabase database, S3ProxyServer s3, Map<String, String> identity) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.datasource.url", database.jdbcUrl());
    properties.put("spring.datasource.username", EmbeddedDatabase.USER);
    properties.put("spring.datasource.password", EmbeddedDatabase.PASSWORD);
    properties.put("tuneforge.storage.endpoint", s3.endpoint());
    properties.put("tuneforge.storage.access-key", STORAGE_ACCESS_KEY);
    properties.put("tuneforge.storage.secret-key", STORAGE_SECRET_KEY);
    properties.put("tuneforge.bootstrap.admin-username", ADMIN_USERNAME);
    properties.put("tuneforge.bootstrap.admin-password", adminPassword);
    properties.put("tuneforge.bootstrap.admin-api-key", adminApiKey);
    // The key that encrypts tenants' teacher API keys lives with the rest of the platform's data.
    properties.put(
        "tuneforge.secrets.key-file", settings.dataDir().resolve("secrets.key").toString());
    properties.put("server.port", Integer.toString(settings.httpPort()));
    properties.put("logging.file.name", settings.dataDir().resolve("logs/app.log").toString());
    // Ctrl+C should not wait out a node's 20 s lease poll.
    properties.put("server.shutdown", "immediate");
    properties.putAll(identity);
    properties.putAll(settings.appProperties());
    // Command-line arguments outrank application.yml; builder "properties" would not.
    List<String> args = new ArrayList<>();
    properties.forEach((key, value) -> args.add("--" + key + "=" + value));
    appArguments = List.copyOf(args);
    return new SpringApplicationBuilder(TuneforgeApplication.class)
        .registerShutdownHook(false)
        .run(args.toArray(String[]::new));
  }

  public String baseUrl() {
    return baseUrl;
  }

  public ConfigurableApplicationContext context() {
    if (context == null) {
      throw new IllegalStateException("the app is not running");
    }
    return context;
  }

  public String adminUsername() {
    return ADMIN_USERNAME;
  }

  public String adminPassword() {
    return adminPassword;
  }

  /** The admin's API key, for provisioning tenants, users and their keys over REST. */
  public String adminApiKey() {
    return adminApiKey;
  }

  public Path dataDir() {
    return settings.dataDir();
  }

  /**
   * The command-line arguments the app was started with (database, storage, secrets, its port and
   * log file), for another replica of it on the same database and storage.
   */
  public List<String> appArguments() {
    return appArguments;
  }

  /**
   * Restarts the platform's PostgreSQL, down for {@code downtime}, as an operator's restart would;
   * the app and the node stay up and have to ride it out.
   */
  public void restartDatabase(Duration downtime) {
    if (database == null) {
      throw new IllegalStateException("the platform is not running");
    }
    database.restart(downtime);
  }

  /** Restarts the platform's object store (S3Proxy), down for {@code downtime}; objects stay. */
  public void restartStorage(Duration downtime) {
    if (storage == null) {
      throw new IllegalStateException("the platform is not running");
    }
    storage.restart(downtime);
  }

  /** Whether the local training node's process is running (false when started without one). */
  public boolean nodeAlive() {
    return node != null && node.alive();
  }

  /**
   * Kills the local training node and its training process at once (SIGKILL), as a crashed machine
   * would stop: no result, no goodbye, the job's lease simply runs out.
   */
  public synchronized void killNode() {
    TrainingNodeProcess running = node;
    if (running == null) {
      throw new IllegalStateException("no training node is running");
    }
    running.kill();
    parts.remove(running);
    node = null;
  }

  /**
   * Starts a training node again. With a {@code workDirName} other than {@code node} it works in a
   * fresh folder of the data folder and enrols as a new node (a replacement machine).
   */
  public synchronized void startNode(String workDirName) {
    if (node != null && node.alive()) {
      throw new IllegalStateException("a training node is running already");
    }
    Path nodeJar = settings.nodeJar() != null ? settings.nodeJar() : Artifacts.nodeJar();
    NodeService nodes = context().getBean(NodeService.class);
    TrainingNodeProcess started =
        TrainingNodeProcess.start(
            nodeJar,
            settings.dataDir(),
            settings.dataDir().resolve(workDirName),
            baseUrl,
            settings.nodeChildHeap(),
            settings.nodeEnvironment(),
            nodes::issueEnrolmentTokenForLocalNode);
    node = started;
    own(started);
  }

  String banner(Duration startup) {
    String line = "=".repeat(72);
    return String.join(
        "\n",
        "",
        line,
        "  Tuneforge is running (started in " + startup.toSeconds() + " s)",
        "",
        "  Open        " + baseUrl,
        "  Sign in as  " + ADMIN_USERNAME + " / " + adminPassword,
        "  API key     " + settings.dataDir().resolve("admin-api-key.txt") + " (the admin's)",
        keycloak == null
            ? "  SSO         off (./run.sh --keycloak starts a local Keycloak)"
            : "  SSO         Keycloak at "
                + keycloak.baseUrl()
                + " (console: kcadmin / "
                + keycloak.secret("console")
                + "); tenant Demo: "
                + KeycloakServer.ADMIN_USER
                + " / "
                + keycloak.secret(KeycloakServer.ADMIN_USER)
                + " (tenant admin), "
                + KeycloakServer.MEMBER_USER
                + " / "
                + keycloak.secret(KeycloakServer.MEMBER_USER)
                + " (member)",
        "  Data        " + settings.dataDir(),
        "  Logs        " + settings.dataDir().resolve("logs"),
        "  Node        "
            + (node == null
                ? "not started"
                : TrainingNodeProcess.NAME + " (log: " + node.log() + ")"),
        "",
        "  Press Ctrl+C to stop. Everything is kept in the data folder for the next start.",
        line,
        "");
  }

  /**
   * Keeps a started part for {@link #close}; stops it at once if the platform is closing already.
   */
  private synchronized void own(AutoCloseable part) {
    if (closed) {
      try {
        part.close();
      } catch (Exception e) {
        // shutting down anyway
      }
      throw new IllegalStateException("the platform is shutting down");
    }
    parts.push(part);
  }

  /** Stops the node, the app, S3Proxy and PostgreSQL, in that order. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!parts.isEmpty()) {
      AutoCloseable part = parts.pop();
      try {
        part.close();
      } catch (Exception e) {
        System.err.println("While stopping " + part + ": " + e);
      }
    }
    context = null;
    if (dataLock != null) {
      try {
        dataLock.channel().close();
      } catch (IOException e) {
        // the lock goes with the process anyway
      }
    }
  }

  private void lockDataFolder(Path data) {
    try {
      Files.createDirectories(data.resolve("logs"));
      FileChannel channel =
          FileChannel.open(
              data.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new IllegalStateException(
            "Another Tuneforge is running with the data folder "
                + data
                + "; stop it or choose another folder (TUNEFORGE_DATA)");
      }
      dataLock = lock;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not use the data folder " + data, e);
    }
  }

  private static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Before Spring configures logging, Logback's fallback prints DEBUG from every library that
   * starts PostgreSQL; keep that phase at INFO. Spring replaces this once the app starts.
   */
  private static void quietenEarlyLogging() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback
          .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          .setLevel(ch.qos.logback.classic.Level.INFO);
      logback.getLogger("io.zonky").setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  /**
   * Where the platform keeps its data and which ports it uses. {@code 0} for a port picks a free
   * one (tests); null jars are looked for next to the launcher and in the build output.
   */
  public record Settings(
      Path dataDir,
      int httpPort,
      int postgresPort,
      int s3Port,
      boolean startNode,
      @Nullable Path s3proxyJar,
      @Nullable Path nodeJar,
      String nodeChildHeap,
      Map<String, String> nodeEnvironment,
      Map<String, String> appProperties) {

    static final String USAGE =
        """
        Usage: java -jar tuneforge-local.jar [options]
          --data DIR            data folder (env TUNEFORGE_DATA, -Dtuneforge.data; default ./data)
          --port N              web port (env TUNEFORGE_PORT; default 8080)
          --address ADDR        address the web port listens on (env TUNEFORGE_ADDRESS; default
                                127.0.0.1, this machine only; 0.0.0.0 for every interface)
          --postgres-port N     embedded PostgreSQL port (env TUNEFORGE_POSTGRES_PORT; default 15432)
          --s3-port N           S3Proxy port (env TUNEFORGE_S3_PORT; default 19000)
          --child-heap SIZE     -Xmx of each training JVM (env TUNEFORGE_CHILD_HEAP; default 2g)
          --no-node             do not start the local training node
          --keycloak            also start a local Keycloak with a demo realm and sign in through it
                                (env TUNEFORGE_KEYCLOAK_PORT; default 18080, health on the next port)
        """;

    public Settings {
      dataDir = dataDir.toAbsolutePath().normalize();
      nodeEnvironment = Map.copyOf(nodeEnvironment);
      appProperties = Map.copyOf(appProperties);
    }

    /**
     * Defaults, overridden by system properties ({@code tuneforge.data}, ...) and then environment
     * variables.
     */
    public static Settings fromEnvironment() {
      return new Settings(
          Path.of(setting("tuneforge.data", "TUNEFORGE_DATA", "data")),
          Integer.parseInt(setting("tuneforge.port", "TUNEFORGE_PORT", "8080")),
          Integer.parseInt(setting("tuneforge.postgres-port", "TUNEFORGE_POSTGRES_PORT", "15432")),
          Integer.parseInt(setting("tuneforge.s3-port", "TUNEFORGE_S3_PORT", "19000")),
          true,
          null,
          null,
          setting("tuneforge.child-heap", "TUNEFORGE_CHILD_HEAP", "2g"),
          // the local node also serves (playground, chat completions) while it trains nothing
          Map.of("TUNEFORGE_SERVE", setting("tuneforge.serve", "TUNEFORGE_SERVE", "true")),
          Map.of("server.address", setting("tuneforge.address", "TUNEFORGE_ADDRESS", "127.0.0.1")));
    }

    /**
     * For tests: a data folder of its own and free ports everywhere. The node shares the user's DJL
     * cache ({@code ENGINE_CACHE_DIR}, else {@code ~/.djl.ai}) rather than unpacking the PyTorch
     * natives (~200 MB) into every test's data folder.
     */
    public static Settings forTests(Path dataDir) {
      String cache = System.getenv("ENGINE_CACHE_DIR");
      if (cache == null || cache.isBlank()) {
        cache = Path.of(System.getProperty("user.home"), ".djl.ai").toString();
      }
      return new Settings(
          dataDir, 0, 0, 0, true, null, null, "2g", Map.of("ENGINE_CACHE_DIR", cache), Map.of());
    }

    public Settings withDataDir(Path value) {
      return new Settings(
          value,
          httpPort,
          postgresPort,
          s3Port,
          startNode,
          s3proxyJar,
          nodeJar,
          nodeChildHeap,
          nodeEnvironment,
          appProperties);
    }

    public Settings withHttpPort(int value) {
      return new Settings(
          dataDir,
          value,
          postgresPort,
          s3Port,
          startNode,
          s3proxyJar,
          nodeJar,
          nodeChildHeap,
          nodeEnvironment,
          appProperties);
    }

    public Settings withStartNode(boolean value) {
      return new Settings(
          dataDir,
          httpPort,
          postgresPort,
          s3Port,
          value,
          s3proxyJar,
          nodeJar,
          nodeChildHeap,
          nodeEnvironment,
          appProperties);
    }

    public Settings withNodeEnvironment(Map<String, String> value) {
      return new Settings(
          dataDir,
          httpPort,
          postgresPort,
          s3Port,
          startNode,
          s3proxyJar,
          nodeJar,
          nodeChildHeap,
          value,
          appProperties);
    }

    public Settings withAppProperties(Map<String, String> value) {
      return new Settings(
          dataDir,
          httpPort,
          postgresPort,
          s3Port,
          startNode,
          s3proxyJar,
          nodeJar,
          nodeChildHeap,
          nodeEnvironment,
          value);
    }

    Settings withArguments(String[] args) {
      Settings result = this;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--no-node")) {
          result = result.withStartNode(false);
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("unexpected argument '" + flag + "'");
        }
        String value = args[++i];
        result =
            switch (flag) {
              case "--data" -> result.withDataDir(Path.of(value));
              case "--port" -> result.withHttpPort(port(flag, value));
              case "--address" -> {
                Map<String, String> properties = new LinkedHashMap<>(result.appProperties);
                properties.put("server.address", value);
                yield result.withAppProperties(properties);
              }
              case "--postgres-port" ->
                  new Settings(
                      result.dataDir,
                      result.httpPort,
                      port(flag, value),
                      result.s3Port,
                      result.startNode,
                      result.s3proxyJar,
                      result.nodeJar,
                      result.nodeChildHeap,
                      result.nodeEnvironment,
                      result.appProperties);
              case "--s3-port" ->
                  new Settings(
                      result.dataDir,
                      result.httpPort,
                      result.postgresPort,
                      port(flag, value),
                      result.startNode,
                      result.s3proxyJar,
                      result.nodeJar,
                      result.nodeChildHeap,
                      result.nodeEnvironment,
                      result.appProperties);
              case "--child-heap" ->
                  new Settings(
                      result.dataDir,
                      result.httpPort,
                      result.postgresPort,
                      result.s3Port,
                      result.startNode,
                      result.s3proxyJar,
                      result.nodeJar,
                      value,
                      result.nodeEnvironment,
                      result.appProperties);
              default -> throw new IllegalArgumentException("unknown option " + flag);
            };
      }
      return result;
    }

    private static int port(String flag, String value) {
      try {
        int port = Integer.parseInt(value);
        if (port >= 0 && port < 65536) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(flag + " needs a port number, got '" + value + "'");
    }

    static String setting(String property, String variable, String fallback) {
      String value = System.getProperty(property);
      if (value == null || value.isBlank()) {
        value = System.getenv(variable);
      }
      return value == null || value.isBlank() ? fallback : value.strip();
    }
  }
}
