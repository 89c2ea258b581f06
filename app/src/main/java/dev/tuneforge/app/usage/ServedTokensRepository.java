package dev.tuneforge.app.usage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ServedTokensRepository extends JpaRepository<ServedTokens, UUID> {
  List<ServedTokens> findByServedAtGreaterThanEqualAndServedAtLessThanOrderByServedAt(
      Instant from, Instant to);
}
