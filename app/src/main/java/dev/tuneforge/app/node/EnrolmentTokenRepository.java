package dev.tuneforge.app.node;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;

interface EnrolmentTokenRepository extends JpaRepository<EnrolmentToken, UUID> {
  /**
   * The token, its row locked until the transaction ends: of two requests racing with one token,
   * the second reads it only after the first has marked it used.
   */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  Optional<EnrolmentToken> findByTokenHash(String tokenHash);
}
