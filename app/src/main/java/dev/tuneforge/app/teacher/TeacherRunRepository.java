package dev.tuneforge.app.teacher;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface TeacherRunRepository extends JpaRepository<TeacherRun, UUID> {
  List<TeacherRun> findAllByOrderByCreatedAtDesc();
}
