package dev.tuneforge.app.evaluation;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface JudgeRunRepository extends JpaRepository<JudgeRun, UUID> {
  Optional<JudgeRun> findFirstByJobIdOrderByCreatedAtDesc(UUID jobId);

  List<JudgeRun> findByJobId(UUID jobId);
}
