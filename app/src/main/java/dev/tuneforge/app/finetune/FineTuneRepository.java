package dev.tuneforge.app.finetune;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface FineTuneRepository extends JpaRepository<FineTuneJob, UUID> {
  List<FineTuneJob> findAllByOrderByCreatedAtDesc();

  List<FineTuneJob> findByStatusAndNodeIdIsNullOrderByCreatedAt(JobStatus status);

  List<FineTuneJob> findByStatusAndNodeIdIsNullAndPausedByUserFalseOrderByCreatedAt(
      JobStatus status);

  Optional<FineTuneJob> findFirstByNodeIdAndStatusInOrderByCreatedAt(
      UUID nodeId, Collection<JobStatus> statuses);

  List<FineTuneJob> findByNodeIdIsNotNullAndLeaseExpiresAtBefore(Instant now);

  /** The job, locked until the transaction ends, so that transitions of one job take turns. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select j from FineTuneJob j where j.id = :id")
  Optional<FineTuneJob> findForUpdate(UUID id);

  @Query("select j.tenantId from FineTuneJob j where j.id = :id")
  Optional<UUID> findTenantIdById(UUID id);

  List<FineTuneJob> findByContinuedFromJobIdOrderByCreatedAt(UUID continuedFromJobId);

  boolean existsByNodeIdAndStatusIn(UUID nodeId, Collection<JobStatus> statuses);

  long countByNodeIdAndStatusIn(UUID nodeId, Collection<JobStatus> statuses);
}
