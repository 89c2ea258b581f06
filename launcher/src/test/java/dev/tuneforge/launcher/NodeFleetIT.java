package dev.tuneforge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two app replicas (the platform's app and a second JVM on the same PostgreSQL and S3) and a fleet
 * of simulated nodes speaking the node API over HTTP, half to each replica, work off a few hundred
 * jobs of two tenants while three nodes die holding a job: every job succeeds, none is leased while
 * its lease still runs, the dead nodes' jobs are leased again, and neither replica's Quartz lost a
 * race for a trigger (dispatch makes none). Prints the dispatch latency and the throughput; {@code
 * bin/bench-load} runs the same with more jobs.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class NodeFleetIT {
  private static final int JOBS = Integer.getInteger("tuneforge.fleet.jobs", 120);
  private static final int NODES = Integer.getInteger("tuneforge.fleet.nodes", 16);
  private static final int DYING = 3;

  @RegisterExtension
  final PlatformTestSupport.RunningPlatform running =
      new PlatformTestSupport.RunningPlatform("tuneforge-fleet-");

  @Test
  void twoReplicasAndAFleetOfNodesRunEveryJobOnceAtATimeAndLoseNone() throws Exception {
    LocalPlatform platform =
        running.start(
            settings -> settings.withStartNode(false).withAppProperties(FleetLoad.FAST_LEASES));
    FleetLoad.Figures figures = FleetLoad.run(platform, JOBS, NODES, DYING, Duration.ofMinutes(8));
    System.out.println(figures.summary());
    assertThat(figures.releases())
        .as("the dying nodes' jobs were leased again")
        .isGreaterThanOrEqualTo(DYING);
    assertThat(figures.leasesByReplica())
        .as("both replicas served leases")
        .containsOnlyKeys("A", "B");
    assertThat(figures.leasesByReplica().values()).allMatch(leases -> leases > 0);
    try (Stream<Path> logs = Files.list(platform.dataDir().resolve("logs"))) {
      for (Path log : logs.filter(NodeFleetIT::appLog).toList()) {
        assertThat(Files.readString(log))
            .as("a replica's Quartz lost a race for a trigger and paused (%s)", log.getFileName())
            .doesNotContain("Couldn't acquire next trigger");
      }
    }
  }

  /** The platform's app's log and the second replica's. */
  private static boolean appLog(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith("app") && name.endsWith(".log");
  }
}
