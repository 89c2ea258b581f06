package dev.tuneforge.app.dataset.version;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface DatasetRepository extends JpaRepository<Dataset, UUID> {
  List<Dataset> findAllByOrderByCreatedAtDesc();

  Optional<Dataset> findByNameIgnoreCase(String name);
}
