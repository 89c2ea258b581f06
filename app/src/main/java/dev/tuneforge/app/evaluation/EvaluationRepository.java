package dev.tuneforge.app.evaluation;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface EvaluationRepository extends JpaRepository<Evaluation, UUID> {}
