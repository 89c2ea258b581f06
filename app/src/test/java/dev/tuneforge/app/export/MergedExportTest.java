package dev.tuneforge.app.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A merge's cancel and its node's restart: a queued merge ends at once, a running one when its node
 * reports (whatever it reports), loses its lease or starts again; a restarted node's merge goes
 * back in the queue; a cancelled merge starts again afresh; an ended one cannot be cancelled.
 */
class MergedExportTest {
  private static final Instant NOW = Instant.parse("2026-12-04T07:00:00Z");
  private final UUID node = UUID.randomUUID();

  @Test
  void aQueuedMergeEndsAtOnceEvenWhenANodeWasGivenIt() {
    MergedExport merge = new MergedExport(UUID.randomUUID(), UUID.randomUUID(), NOW);
    assertThat(merge.assign(node, NOW.plusSeconds(60))).isTrue();

    assertThat(merge.cancel(NOW)).isTrue();

    assertThat(merge.getStatus()).isEqualTo(MergedExport.CANCELLED);
    assertThat(merge.getNodeId()).isNull();
    assertThat(merge.start(node, NOW.plusSeconds(60), NOW))
        .as("its node cannot start it")
        .isFalse();
    assertThat(merge.cancel(NOW)).as("nothing left to cancel").isFalse();
  }

  @Test
  void aRunningMergeEndsCancelledWhateverItsNodeReports() {
    MergedExport merge = running();

    assertThat(merge.cancel(NOW)).isTrue();
    assertThat(merge.getStatus()).isEqualTo(MergedExport.RUNNING);
    assertThat(merge.isCancelRequested()).isTrue();
    assertThat(merge.renew(node, NOW.plusSeconds(90))).as("its node still holds it").isTrue();

    assertThat(merge.finish(node, true, null, NOW)).isTrue();
    assertThat(merge.getStatus()).isEqualTo(MergedExport.CANCELLED);
    assertThat(merge.getError()).isNull();
    assertThat(merge.finished()).isTrue();
  }

  @Test
  void aCancelledMergeWhoseNodeIsLostOrRestartsEndsRatherThanWaitingAgain() {
    MergedExport lost = running();
    lost.cancel(NOW);
    assertThat(lost.expire(NOW.plusSeconds(61))).isTrue();
    assertThat(lost.getStatus()).isEqualTo(MergedExport.CANCELLED);

    MergedExport restarted = running();
    restarted.cancel(NOW);
    assertThat(restarted.nodeRestarted(node, NOW)).isTrue();
    assertThat(restarted.getStatus()).isEqualTo(MergedExport.CANCELLED);
  }

  @Test
  void aRestartedNodesMergeGoesBackInTheQueueAtOnce() {
    MergedExport merge = running();

    assertThat(merge.nodeRestarted(UUID.randomUUID(), NOW)).as("another node's restart").isFalse();
    assertThat(merge.nodeRestarted(node, NOW)).isTrue();

    assertThat(merge.getStatus()).isEqualTo(MergedExport.QUEUED);
    assertThat(merge.getNodeId()).isNull();
    assertThat(merge.getMessage()).startsWith("Its node started again");

    UUID lost = merge.getLeaseId();
    assertThat(lost).as("the holding it had").isNotNull();
    assertThat(merge.assign(node, NOW.plusSeconds(60))).isTrue();
    assertThat(merge.getLeaseId()).as("a new holding, with a folder of its own").isNotEqualTo(lost);
  }

  @Test
  void aCancelledMergeStartsAgainAfresh() {
    MergedExport merge = running();
    merge.cancel(NOW);
    merge.finish(node, false, "killed", NOW);

    assertThat(merge.restart(UUID.randomUUID(), NOW)).isTrue();

    assertThat(merge.getStatus()).isEqualTo(MergedExport.QUEUED);
    assertThat(merge.isCancelRequested()).isFalse();
  }

  @Test
  void aSucceededMergeCannotBeCancelled() {
    MergedExport merge = running();
    merge.finish(node, true, null, NOW);

    assertThat(merge.cancel(NOW)).isFalse();
    assertThat(merge.getStatus()).isEqualTo(MergedExport.SUCCEEDED);
  }

  private MergedExport running() {
    MergedExport merge = new MergedExport(UUID.randomUUID(), UUID.randomUUID(), NOW);
    assertThat(merge.assign(node, NOW.plusSeconds(60))).isTrue();
    assertThat(merge.start(node, NOW.plusSeconds(60), NOW)).isTrue();
    return merge;
  }
}
