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

  List<FineTuneJob> findByNodeIdAndStatus(UUID nodeId, JobStatus status);

  /** The job, locked until the transaction ends, so that transitions of one job take turns. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select j from FineTuneJob j where j.id = :id")
  Optional<FineTuneJob> findForUpdate(UUID id);

  @Query("select j.tenantId from FineTuneJob j where j.id = :id")
  Optional<UUID> findTenantIdById(UUID id);

  List<FineTuneJob> findByContinuedFromJobIdOrderByCreatedAt(UUID continuedFromJobId);

  boolean existsByNodeIdAndStatusIn(UUID nodeId, Collection<JobStatus> statuses);

  long countByNodeIdAndStatusIn(UUID nodeId, Collection<JobStatus> statuses);

  /** Jobs in these states that no node holds, of the calling tenant. */
  @Query("select count(j) from FineTuneJob j where j.status in :statuses and j.nodeId is null")
  long countWaiting(Collection<JobStatus> statuses);

  /** Per tenant, how many of its jobs in these states a node holds (tenant id, count). */
  @Query(
      "select j.tenantId, count(j) from FineTuneJob j where j.nodeId is not null"
          + " and j.status in :statuses group by j.tenantId")
  List<Object[]> countHeldByTenant(Collection<JobStatus> statuses);
}
