package dev.tuneforge.app.catalog;

import dev.tuneforge.app.storage.MultipartStorage;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A model folder under way to object storage: where it goes, what the importer chose and each
 * file's multipart upload, so that a reloaded page resumes it. Owned like a {@link BaseModel}
 * (null: the platform), so {@link ModelUploads} scopes every query by owner.
 */
@Entity
@Table(name = "model_upload")
class ModelUpload {
  @Id private UUID id;
  private @Nullable UUID ownerTenantId;
  private String objectPrefix;
  private String name;
  private @Nullable String revision;
  private @Nullable String displayName;
  private @Nullable String description;
  private UUID createdBy;
  private Instant createdAt;
  private Instant lastActiveAt;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "model_upload_file", joinColumns = @JoinColumn(name = "model_upload_id"))
  @OrderBy("name")
  private List<FolderFile> files = new ArrayList<>();

  /**
   * One file of the folder and its multipart upload; {@code partsDone} and {@code bytesDone} count
   * what the uploader reported sent (storage's list of parts decides what a resume skips).
   */
  @Embeddable
  record FolderFile(
      String name,
      long sizeBytes,
      long partSize,
      String multipartUploadId,
      int partsDone,
      long bytesDone) {

    FolderFile(String name, long sizeBytes, long partSize, String multipartUploadId) {
      this(name, sizeBytes, partSize, multipartUploadId, 0, 0);
    }

    int partCount() {
      return MultipartStorage.partCount(sizeBytes, partSize);
    }

    boolean isDone() {
      return partsDone >= partCount();
    }
  }

  protected ModelUpload() {}

  ModelUpload(
      UUID id,
      @Nullable UUID owner,
      String prefix,
      ModelImport request,
      List<FolderFile> files,
      UUID createdBy,
      Instant now) {
    this.id = id;
    this.ownerTenantId = owner;
    this.objectPrefix = prefix;
    this.name = request.name();
    this.revision = request.revision();
    this.displayName = request.displayName();
    this.description = request.description();
    this.files = new ArrayList<>(files);
    this.createdBy = createdBy;
    this.createdAt = now;
    this.lastActiveAt = now;
  }

  UUID getId() {
    return id;
  }

  String getObjectPrefix() {
    return objectPrefix;
  }

  ModelImport request() {
    return new ModelImport(name, revision, displayName, description);
  }

  List<FolderFile> getFiles() {
    return files;
  }

  Instant getCreatedAt() {
    return createdAt;
  }
}
