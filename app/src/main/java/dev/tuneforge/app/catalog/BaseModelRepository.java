package dev.tuneforge.app.catalog;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * Base models. Every finder but {@link #findAllByOrderByName} takes the viewer's tenant (null: a
 * caller outside any tenant) and sees platform models plus that tenant's own, never another's.
 */
interface BaseModelRepository extends JpaRepository<BaseModel, UUID> {
  String VISIBLE = "(m.ownerTenantId is null or m.ownerTenantId = :tenant)";

  @Query("select m from BaseModel m where " + VISIBLE + " order by m.name, m.revision")
  List<BaseModel> findVisible(@Param("tenant") @Nullable UUID tenant);

  @Query("select m from BaseModel m where m.id = :id and " + VISIBLE)
  Optional<BaseModel> findVisible(@Param("id") UUID id, @Param("tenant") @Nullable UUID tenant);

  @Query(
      "select m from BaseModel m where m.name = :name and "
          + VISIBLE
          + " order by m.ownerTenantId nulls first, m.createdAt")
  List<BaseModel> findVisibleByName(
      @Param("name") String name, @Param("tenant") @Nullable UUID tenant);

  /** Whether the owner (null: the platform) has the model at that revision (null: none). */
  boolean existsByNameAndRevisionAndOwnerTenantId(
      String name, @Nullable String revision, @Nullable UUID ownerTenantId);

  List<BaseModel> findAllByOrderByName();
}
