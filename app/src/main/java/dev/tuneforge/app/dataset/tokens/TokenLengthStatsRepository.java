package dev.tuneforge.app.dataset.tokens;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface TokenLengthStatsRepository extends JpaRepository<TokenLengthStats, UUID> {
  Optional<TokenLengthStats> findByDatasetVersionIdAndBaseModelIdAndMaxLength(
      UUID versionId, UUID baseModelId, int maxLength);
}
