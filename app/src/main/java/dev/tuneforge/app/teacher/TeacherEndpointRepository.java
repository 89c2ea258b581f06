package dev.tuneforge.app.teacher;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface TeacherEndpointRepository extends JpaRepository<TeacherEndpoint, UUID> {
  List<TeacherEndpoint> findAllByOrderByName();

  boolean existsByNameIgnoreCase(String name);
}
