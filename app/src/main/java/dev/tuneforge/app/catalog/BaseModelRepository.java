package dev.tuneforge.app.catalog;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface BaseModelRepository extends JpaRepository<BaseModel, UUID> {
  Optional<BaseModel> findByName(String name);

  List<BaseModel> findAllByOrderByName();
}
