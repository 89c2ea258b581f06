package dev.tuneforge.app.dataset.staging;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface StagedUploadRepository extends JpaRepository<StagedUpload, UUID> {
  List<StagedUpload> findByCreatedAtBefore(Instant cutoff);
}
