package dev.tuneforge.app.finetune;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface JobEventRepository extends JpaRepository<JobEventRecord, Long> {
  List<JobEventRecord> findByJobIdOrderById(UUID jobId);

  List<JobEventRecord> findByJobIdAndIdGreaterThanOrderById(UUID jobId, long afterId);

  List<JobEventRecord> findByJobIdAndIdLessThanOrderByIdDesc(
      UUID jobId, long beforeId, Limit limit);
}
