package dev.tuneforge.app.dataset.version;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface DatasetVersionRepository extends JpaRepository<DatasetVersion, UUID> {
  List<DatasetVersion> findByDatasetIdOrderByVersionDesc(UUID datasetId);

  Optional<DatasetVersion> findFirstByDatasetIdOrderByVersionDesc(UUID datasetId);

  List<DatasetVersion> findAllByOrderByCreatedAtDesc();

  /** The token lengths counted for a version (derived data, gone with the version). */
  @Modifying
  @Query(
      value = "delete from dataset_token_lengths where dataset_version_id = :versionId",
      nativeQuery = true)
  int deleteTokenLengths(UUID versionId);
}
