package dev.tuneforge.app.node;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface NodeRepository extends JpaRepository<TrainingNode, UUID> {
  Optional<TrainingNode> findByCredentialHash(String credentialHash);

  List<TrainingNode> findAllByOrderByName();

  List<TrainingNode> findByStateNotAndLastHeartbeatAtBefore(String state, Instant before);

  List<TrainingNode> findByStateNotAndLastHeartbeatAtAfterOrderByName(String state, Instant after);
}
