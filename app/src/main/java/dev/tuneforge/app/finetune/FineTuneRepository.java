package dev.tuneforge.app.finetune;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface FineTuneRepository extends JpaRepository<FineTuneJob, UUID> {
  List<FineTuneJob> findAllByOrderByCreatedAtDesc();

  List<FineTuneJob> findByStatusAndNodeIdIsNullOrderByCreatedAt(JobStatus status);

  Optional<FineTuneJob> findFirstByNodeIdAndStatusInOrderByCreatedAt(UUID nodeId, Collection<JobStatus> statuses);

  List<FineTuneJob> findByNodeIdIsNotNullAndLeaseExpiresAtBefore(Instant now);

  boolean existsByNodeIdAndStatusIn(UUID nodeId, Collection<JobStatus> statuses);
}
