package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.Gpu;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How the agent was started. {@code childMainClass} and {@code leaseTimeout} have no flag: tests
 * swap the trainer for a fake and shorten the long poll.
 */
record NodeOptions(
    URI server,
    Path workDir,
    @Nullable String token,
    String name,
    Duration heartbeatInterval,
    String device,
    String childHeap,
    String childMainClass,
    Duration leaseTimeout,
    List<Gpu> simulatedGpus,
    long childMemoryLimit,
    Serving serving) {

  NodeOptions {
    simulatedGpus = List.copyOf(simulatedGpus);
  }

  /**
   * Whether the node serves generation requests ({@code --serve}), how many adapters its serving
   * process keeps loaded ({@code --adapter-cache}), how many generations decode together at most
   * ({@code --max-batch}) and how many bytes of downloaded adapters it keeps on disk ({@code
   * --adapter-disk-cache}, 10 GiB by default).
   */
  record Serving(boolean enabled, int adapterCache, int maxBatch, long adapterDiskBytes) {
    static final long DEFAULT_ADAPTER_DISK_BYTES = 10L << 30;
    static final Serving OFF = new Serving(false, 8, 16, DEFAULT_ADAPTER_DISK_BYTES);
  }

  /** Options of a node without simulated GPUs or a memory limit. */
  NodeOptions(
      URI server,
      Path workDir,
      @Nullable String token,
      String name,
      Duration heartbeatInterval,
      String device,
      String childHeap,
      String childMainClass,
      Duration leaseTimeout) {
    this(
        server,
        workDir,
        token,
        name,
        heartbeatInterval,
        device,
        childHeap,
        childMainClass,
        leaseTimeout,
        List.of(),
        0,
        Serving.OFF);
  }

  static final String TRAINER_MAIN = "dev.tuneforge.trainingnode.jobprocess.TrainingJobMain";

  /**
   * The app holds a lease poll for about 20 s; waiting longer keeps a slow answer from looking like
   * a failure.
   */
  static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(40);

  static final String USAGE =
      """
      Usage: java -jar training-node.jar --server URL --work-dir DIR [options]
        --server URL             the Tuneforge app (env TUNEFORGE_SERVER)
        --work-dir DIR           credential, job folders and DJL cache (env TUNEFORGE_WORK_DIR)
        --token T                one-time enrolment token, needed only for the first start
                                 (env TUNEFORGE_ENROL_TOKEN)
        --name N                 the node's name in the app (env TUNEFORGE_NODE_NAME; default hostname)
        --heartbeat-seconds S    heartbeat interval (default 5)
        --device D               cpu or cuda (default cpu)
        --child-heap SIZE        -Xmx of each training JVM (default 4g)
        --serve                  also serve generation requests (chat and text completions) in a
                                 serving JVM beside the jobs, as the admin's policy allows
                                 (env TUNEFORGE_SERVE=true)
        --adapter-cache N        adapters the serving JVM keeps loaded (default 8)
        --max-batch N            generations decoded together at most (default 16)
        --adapter-disk-cache S   bytes of downloaded adapters kept on disk, the least
                                 recently used deleted first (default 10GiB)
        --simulate-gpus NxSIZE   FOR TESTS ONLY: report N simulated GPUs of SIZE memory each
                                 (e.g. 2x16GiB) and run one job per GPU, training on the CPU
        --child-memory-limit SIZE  FOR TESTS ONLY: the memory each job may use (e.g. 300MiB);
                                 a job above it fails with out of memory, as on a full GPU
      """;

  private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)([KMGT]i?B)");
  private static final Pattern SIMULATED = Pattern.compile("(\\d+)x(.+)");

  NodeOptions withChildMainClass(String mainClass) {
    return changed(mainClass, simulatedGpus, serving);
  }

  NodeOptions withServing(Serving serving) {
    return changed(childMainClass, simulatedGpus, serving);
  }

  NodeOptions withSimulatedGpus(List<Gpu> gpus) {
    return changed(childMainClass, gpus, serving);
  }

  /** A copy with the settings that tests and the flags change after parsing; the rest kept. */
  private NodeOptions changed(String mainClass, List<Gpu> gpus, Serving newServing) {
    return new NodeOptions(
        server,
        workDir,
        token,
        name,
        heartbeatInterval,
        device,
        childHeap,
        mainClass,
        leaseTimeout,
        gpus,
        childMemoryLimit,
        newServing);
  }

  Path credentialFile() {
    return workDir.resolve("node-credential.json");
  }

  /** Flags win over environment variables so a one-off start can override a unit file. */
  static NodeOptions parse(String[] args, Map<String, String> env) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--serve")) {
        flags.put("serve", "true");
        continue;
      }
      if (!flag.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("unexpected argument '" + flag + "'");
      }
      flags.put(flag.substring(2), args[++i]);
    }
    String server = pick(flags, "server", env, "TUNEFORGE_SERVER");
    String workDir = pick(flags, "work-dir", env, "TUNEFORGE_WORK_DIR");
    String token = pick(flags, "token", env, "TUNEFORGE_ENROL_TOKEN");
    String name = pick(flags, "name", env, "TUNEFORGE_NODE_NAME");
    String heartbeat = flags.remove("heartbeat-seconds");
    String device = flags.remove("device");
    String heap = flags.remove("child-heap");
    String simulate = flags.remove("simulate-gpus");
    String memoryLimit = flags.remove("child-memory-limit");
    String serve = pick(flags, "serve", env, "TUNEFORGE_SERVE");
    String adapterCache = flags.remove("adapter-cache");
    String maxBatch = flags.remove("max-batch");
    String adapterDisk = flags.remove("adapter-disk-cache");
    if (!flags.isEmpty()) {
      throw new IllegalArgumentException("unknown option --" + flags.keySet().iterator().next());
    }
    if (server == null || server.isBlank()) {
      throw new IllegalArgumentException("--server (or TUNEFORGE_SERVER) is required");
    }
    if (workDir == null || workDir.isBlank()) {
      throw new IllegalArgumentException("--work-dir (or TUNEFORGE_WORK_DIR) is required");
    }
    URI serverUri =
        URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
    if (!"http".equals(serverUri.getScheme()) && !"https".equals(serverUri.getScheme())) {
      throw new IllegalArgumentException("--server must be an http(s) URL, got '" + server + "'");
    }
    int heartbeatSeconds = heartbeat == null ? 5 : positiveInt("heartbeat-seconds", heartbeat);
    if (device != null && !device.equals("cpu") && !device.equals("cuda")) {
      throw new IllegalArgumentException("--device must be cpu or cuda, got '" + device + "'");
    }
    if (heap != null && !HEAP.matcher(heap).matches()) {
      throw new IllegalArgumentException(
          "--child-heap must look like 4g or 512m, got '" + heap + "'");
    }
    return new NodeOptions(
        serverUri,
        Path.of(workDir).toAbsolutePath().normalize(),
        token == null || token.isBlank() ? null : token.strip(),
        name == null || name.isBlank() ? hostname() : name.strip(),
        Duration.ofSeconds(heartbeatSeconds),
        device == null ? "cpu" : device,
        heap == null ? "4g" : heap,
        TRAINER_MAIN,
        DEFAULT_LEASE_TIMEOUT,
        simulate == null ? List.of() : simulatedGpus(simulate),
        memoryLimit == null ? 0 : bytes("child-memory-limit", memoryLimit),
        new Serving(
            "true".equalsIgnoreCase(serve),
            adapterCache == null ? 8 : positiveInt("adapter-cache", adapterCache),
            maxBatch == null ? 16 : positiveInt("max-batch", maxBatch),
            adapterDisk == null
                ? Serving.DEFAULT_ADAPTER_DISK_BYTES
                : bytes("adapter-disk-cache", adapterDisk)));
  }

  /** {@code 2x16GiB}: two simulated GPUs of 16 GiB, free, named as simulated. */
  static List<Gpu> simulatedGpus(String value) {
    Matcher matcher = SIMULATED.matcher(value.strip());
    if (!matcher.matches() || Integer.parseInt(matcher.group(1)) < 1) {
      throw new IllegalArgumentException(
          "--simulate-gpus must look like 2x16GiB (count x memory), got '" + value + "'");
    }
    long memory = bytes("simulate-gpus", matcher.group(2));
    List<Gpu> gpus = new ArrayList<>();
    for (int i = 0; i < Integer.parseInt(matcher.group(1)); i++) {
      gpus.add(new Gpu(i, "Simulated GPU " + i + " (for tests)", memory, memory, null, null, null));
    }
    return gpus;
  }

  /** {@code 16GiB}, {@code 300MiB}, {@code 512KB}: binary units either way. */
  static long bytes(String flag, String value) {
    Matcher matcher = SIZE.matcher(value.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "--" + flag + " needs a size such as 16GiB or 300MiB, got '" + value + "'");
    }
    int shift =
        switch (matcher.group(2).charAt(0)) {
          case 'K' -> 10;
          case 'M' -> 20;
          case 'G' -> 30;
          default -> 40;
        };
    return Long.parseLong(matcher.group(1)) << shift;
  }

  private static @Nullable String pick(
      Map<String, String> flags, String flag, Map<String, String> env, String variable) {
    String value = flags.remove(flag);
    return value != null ? value : env.get(variable);
  }

  private static int positiveInt(String flag, String value) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the flag's name
    }
    throw new IllegalArgumentException(
        "--" + flag + " must be a positive whole number, got '" + value + "'");
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "training-node");
    }
  }
}
