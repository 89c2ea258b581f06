package dev.tuneforge.app.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface ApiKeyRepository extends JpaRepository<ApiKey, UUID> {
  Optional<ApiKey> findBySecretHash(String secretHash);

  List<ApiKey> findByUserIdOrderByCreatedAtDesc(UUID userId);

  List<ApiKey> findByTenantIdOrderByCreatedAtDesc(UUID tenantId);

  List<ApiKey> findAllByOrderByCreatedAtDesc();

  /** Records a use, at most one write per key and {@code since}: many requests, few writes. */
  @Transactional
  @Modifying
  @Query(
      "update ApiKey k set k.lastUsedAt = :now where k.id = :id"
          + " and (k.lastUsedAt is null or k.lastUsedAt < :since)")
  int touch(UUID id, Instant now, Instant since);
}
