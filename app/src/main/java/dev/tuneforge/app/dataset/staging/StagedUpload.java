package dev.tuneforge.app.dataset.staging;

import dev.tuneforge.app.storage.MultipartStorage;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** A browser upload under way: the multipart upload it fills and the staged object it becomes. */
@Entity
@Table(name = "staged_upload")
class StagedUpload {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private String fileName;
  private long sizeBytes;
  private long partSize;
  private String objectKey;
  private String uploadId;
  private UUID createdBy;
  private Instant createdAt;

  protected StagedUpload() {}

  StagedUpload(
      UUID id,
      String fileName,
      long sizeBytes,
      long partSize,
      String objectKey,
      String uploadId,
      UUID createdBy,
      Instant now) {
    this.id = id;
    this.fileName = fileName;
    this.sizeBytes = sizeBytes;
    this.partSize = partSize;
    this.objectKey = objectKey;
    this.uploadId = uploadId;
    this.createdBy = createdBy;
    this.createdAt = now;
  }

  UUID getId() {
    return id;
  }

  UUID getTenantId() {
    return tenantId;
  }

  String getFileName() {
    return fileName;
  }

  long getSizeBytes() {
    return sizeBytes;
  }

  long getPartSize() {
    return partSize;
  }

  int partCount() {
    return MultipartStorage.partCount(sizeBytes, partSize);
  }

  String getObjectKey() {
    return objectKey;
  }

  String getUploadId() {
    return uploadId;
  }

  Instant getCreatedAt() {
    return createdAt;
  }
}
