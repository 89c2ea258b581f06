package dev.tuneforge.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The heavy versions of {@link NodeFleetIT} and {@link NodeKillsIT}: hundreds of jobs through two
 * app replicas and a fleet of simulated nodes, then twenty kills of the real training node, each on
 * a platform of its own in a temporary folder, printing their figures. Not a test: {@code
 * bin/bench-load} runs it (docs/operations.md, "Load and faults").
 *
 * <p>Arguments: jobs (default 500), simulated nodes (default 40), kills (default 20). The
 * platforms' folders are made under {@code -Dtuneforge.bench.dir} (default: the temporary folder),
 * which {@code bin/bench-load} deletes also when its time bound stops the benchmark.
 */
public final class LoadBenchmark {
  private LoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    int kills = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Path folder =
        Path.of(System.getProperty("tuneforge.bench.dir", System.getProperty("java.io.tmpdir")));
    String fleet;
    Path fleetData = Files.createTempDirectory(folder, "tuneforge-bench-fleet-");
    try (LocalPlatform platform =
        LocalPlatform.start(
            LocalPlatform.Settings.forTests(fleetData)
                .withStartNode(false)
                .withAppProperties(FleetLoad.FAST_LEASES))) {
      fleet = FleetLoad.run(platform, jobs, nodes, 3, Duration.ofMinutes(20)).summary();
    }
    delete(fleetData);
    System.out.println(fleet);
    Path killData = Files.createTempDirectory(folder, "tuneforge-bench-kills-");
    String killed;
    try (LocalPlatform platform =
        LocalPlatform.start(
            LocalPlatform.Settings.forTests(killData).withAppProperties(NodeKills.SHORT_LEASES))) {
      killed = NodeKills.run(platform, kills, System.nanoTime()).summary();
    }
    delete(killData);
    System.out.println();
    System.out.println(fleet);
    System.out.println(killed);
  }

  private static void delete(Path folder) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
