package dev.tuneforge.app.teacher;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface TeacherItemRepository extends JpaRepository<TeacherItem, UUID> {
  Optional<TeacherItem> findFirstByRunIdAndStageAndStatusOrderByOrdinalAscIdAsc(
      UUID runId, Stage stage, ItemStatus status);

  List<TeacherItem> findByRunIdAndStageAndStatusOrderByOrdinalAscIdAsc(
      UUID runId, Stage stage, ItemStatus status);

  List<TeacherItem> findByRunIdAndStatus(UUID runId, ItemStatus status);

  List<TeacherItem> findByRunIdAndStageIn(UUID runId, Collection<Stage> stages);

  boolean existsByRunId(UUID runId);

  @Query(
      "select i.stage as stage, i.status as status, count(i) as items from TeacherItem i"
          + " where i.runId = :runId group by i.stage, i.status")
  List<StageStatusCount> countByStage(UUID runId);

  interface StageStatusCount {
    Stage getStage();

    ItemStatus getStatus();

    long getItems();
  }
}
