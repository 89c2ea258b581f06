package dev.tuneforge.app.dataset.version;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface DatasetVersionRepository extends JpaRepository<DatasetVersion, UUID> {
  List<DatasetVersion> findByDatasetIdOrderByVersionDesc(UUID datasetId);

  Optional<DatasetVersion> findFirstByDatasetIdOrderByVersionDesc(UUID datasetId);
}
