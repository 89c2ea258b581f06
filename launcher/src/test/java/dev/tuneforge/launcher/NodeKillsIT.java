package dev.tuneforge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real training node killed at random moments of training and started again: the job succeeds
 * with every step, and each kill costs at most the steps since the checkpoint the app had recorded.
 * Two kills here ({@code -Dtuneforge.kills=N} for more); {@code bin/bench-load} runs twenty.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class NodeKillsIT {
  private static final int KILLS = Integer.getInteger("tuneforge.kills", 2);

  @RegisterExtension
  final PlatformTestSupport.RunningPlatform running =
      new PlatformTestSupport.RunningPlatform("tuneforge-kills-");

  @Test
  void everyJobCompletesAndEachKillCostsAtMostTheStepsSinceItsCheckpoint() throws Exception {
    LocalPlatform platform =
        running.start(settings -> settings.withAppProperties(NodeKills.SHORT_LEASES));
    long seed = Long.getLong("tuneforge.kills.seed", System.nanoTime());
    NodeKills.Figures figures = NodeKills.run(platform, KILLS, seed);
    System.out.println(figures.summary());
    assertThat(figures.kills()).hasSize(KILLS);
  }
}
