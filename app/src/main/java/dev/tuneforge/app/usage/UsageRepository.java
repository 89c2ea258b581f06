package dev.tuneforge.app.usage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface UsageRepository extends JpaRepository<UsageRecord, UUID> {
  List<UsageRecord> findByJobIdAndEndedAtIsNull(UUID jobId);

  List<UsageRecord> findByJobIdOrderByStartedAt(UUID jobId);

  List<UsageRecord> findByStartedAtGreaterThanEqualAndStartedAtLessThanOrderByStartedAt(
      Instant from, Instant to);
}
