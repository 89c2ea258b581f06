package dev.tuneforge.app.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Which uploads count as abandoned is decided by the application's clock, not the wall clock, and
 * by each feature's own age; a feature whose storage fails does not keep the others uncleaned.
 */
class AbandonedUploadCleanupJobTest {
  private static final Instant NOW = Instant.parse("2026-03-01T00:05:00Z");

  @Test
  void eachFeaturesUploadsIdleLongerThanItsAgeBeforeTheClocksNowAreCleanedUp() {
    List<Instant> cutoffs = new ArrayList<>();
    AbandonedUploads failing = feature(Duration.ofHours(1), null);
    AbandonedUploads datasets = feature(Duration.ofHours(24), cutoffs);
    AbandonedUploads models = feature(Duration.ofDays(7), cutoffs);

    new AbandonedUploadCleanupJob(
            List.of(failing, datasets, models), Clock.fixed(NOW, ZoneOffset.UTC))
        .execute(null);

    assertThat(cutoffs)
        .containsExactly(
            Instant.parse("2026-02-28T00:05:00Z"), Instant.parse("2026-02-22T00:05:00Z"));
  }

  /** A feature that records the cutoffs it is asked for, or fails as unreachable storage does. */
  private static AbandonedUploads feature(Duration age, @Nullable List<Instant> cutoffs) {
    return new AbandonedUploads() {
      @Override
      public Duration abandonedUploadAge() {
        return age;
      }

      @Override
      public int cleanUp(Instant cutoff) {
        if (cutoffs == null) {
          throw new ObjectStorage.StorageException("storage is unreachable", null);
        }
        cutoffs.add(cutoff);
        return 1;
      }
    };
  }
}
