package dev.tuneforge.app.synthetic;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface GenerationJobRepository extends JpaRepository<GenerationJob, UUID> {
  List<GenerationJob> findAllByOrderByCreatedAtDesc();
}
