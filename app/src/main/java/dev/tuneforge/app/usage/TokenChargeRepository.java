package dev.tuneforge.app.usage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface TokenChargeRepository extends JpaRepository<TokenCharge, UUID> {
  List<TokenCharge> findByChargedAtGreaterThanEqualAndChargedAtLessThanOrderByChargedAt(
      Instant from, Instant to);

  List<TokenCharge> findByRunId(UUID runId);
}
