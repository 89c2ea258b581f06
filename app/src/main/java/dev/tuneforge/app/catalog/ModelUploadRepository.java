package dev.tuneforge.app.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/**
 * Model uploads under way. Every finder but {@link #findByLastActiveAtBefore} (the system's
 * clean-up) takes the owner (null: the platform) and sees only that owner's uploads.
 */
interface ModelUploadRepository extends JpaRepository<ModelUpload, UUID> {

  Optional<ModelUpload> findByIdAndOwnerTenantId(UUID id, @Nullable UUID ownerTenantId);

  List<ModelUpload> findByOwnerTenantIdOrderByCreatedAt(@Nullable UUID ownerTenantId);

  List<ModelUpload> findByLastActiveAtBefore(Instant cutoff);

  /** Counts a part the uploader sent, and keeps the upload from looking abandoned. */
  @Transactional
  @Modifying
  @Query(
      value =
          "update model_upload_file set parts_done = parts_done + 1, bytes_done = bytes_done + :size"
              + " where model_upload_id = :id and name = :name",
      nativeQuery = true)
  int countPart(@Param("id") UUID id, @Param("name") String name, @Param("size") long size);

  /** Sets a file's progress to what storage holds. */
  @Transactional
  @Modifying
  @Query(
      value =
          "update model_upload_file set parts_done = :parts, bytes_done = :bytes"
              + " where model_upload_id = :id and name = :name",
      nativeQuery = true)
  int setProgress(
      @Param("id") UUID id,
      @Param("name") String name,
      @Param("parts") int parts,
      @Param("bytes") long bytes);

  @Transactional
  @Modifying
  @Query(value = "update model_upload set last_active_at = :now where id = :id", nativeQuery = true)
  int touch(@Param("id") UUID id, @Param("now") Instant now);
}
