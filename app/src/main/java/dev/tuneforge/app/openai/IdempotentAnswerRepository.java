package dev.tuneforge.app.openai;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface IdempotentAnswerRepository extends JpaRepository<IdempotentAnswer, UUID> {
  Optional<IdempotentAnswer> findByEndpointAndIdempotencyKey(String endpoint, String key);
}
