package dev.tuneforge.app.node;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface EnrolmentTokenRepository extends JpaRepository<EnrolmentToken, UUID> {
  Optional<EnrolmentToken> findByTokenHash(String tokenHash);
}
