package dev.tuneforge.app.export;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface MergedExportRepository extends JpaRepository<MergedExport, UUID> {
  Optional<MergedExport> findByJobId(UUID jobId);

  List<MergedExport> findByStatusAndNodeIdIsNullOrderByCreatedAt(String status);

  Optional<MergedExport> findFirstByNodeIdAndStatusOrderByCreatedAt(UUID nodeId, String status);

  List<MergedExport> findByNodeIdIsNotNullAndLeaseExpiresAtBefore(Instant now);

  List<MergedExport> findByNodeIdAndStatus(UUID nodeId, String status);

  boolean existsByNodeIdAndStatusIn(UUID nodeId, List<String> statuses);

  /** The merge, locked until the transaction ends, so that its changes take turns. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select m from MergedExport m where m.id = :id")
  Optional<MergedExport> findForUpdate(UUID id);

  @Query("select m.tenantId from MergedExport m where m.id = :id")
  Optional<UUID> findTenantIdById(UUID id);
}
