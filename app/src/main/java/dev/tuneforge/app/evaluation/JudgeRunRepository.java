package dev.tuneforge.app.evaluation;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface JudgeRunRepository extends JpaRepository<JudgeRun, UUID> {
  Optional<JudgeRun> findFirstByJobIdOrderByCreatedAtDesc(UUID jobId);
}
