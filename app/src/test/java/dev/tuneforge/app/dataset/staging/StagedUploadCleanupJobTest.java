package dev.tuneforge.app.dataset.staging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.dataset.DatasetProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which uploads count as abandoned is decided by the application's clock, not the wall clock. */
class StagedUploadCleanupJobTest {

  @Test
  void uploadsStartedMoreThanTheAbandonedAgeBeforeTheClocksNowAreCleanedUp() {
    Instant now = Instant.parse("2026-03-01T00:05:00Z");
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    List<Instant> cutoffs = new ArrayList<>();
    StagedUploads uploads =
        new StagedUploads(null, null, null, new DatasetProperties(1, Duration.ofHours(24)), clock) {
          @Override
          public int cleanUp(Instant cutoff) {
            cutoffs.add(cutoff);
            return 0;
          }
        };

    new StagedUploadCleanupJob(uploads, clock).execute(null);

    assertThat(cutoffs).containsExactly(Instant.parse("2026-02-28T00:05:00Z"));
  }
}
