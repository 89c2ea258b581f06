package dev.tuneforge.app.evaluation;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface JudgementRepository extends JpaRepository<Judgement, UUID> {
  List<Judgement> findByRunIdOrderByExampleIndex(UUID runId);
}
