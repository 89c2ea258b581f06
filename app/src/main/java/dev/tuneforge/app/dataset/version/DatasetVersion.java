package dev.tuneforge.app.dataset.version;

import dev.tuneforge.app.dataset.QualityReport;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * One immutable version of a dataset: a validated, canonical chat JSONL object (the original upload
 * is kept beside it) and its figures. {@code format} is the upload's format; {@code sizeBytes} and
 * {@code sha256} describe the canonical object; {@code qualityReport} its rows. A version may also
 * have a canonical validation file ({@code validationObjectKey}); {@code rowCount} counts the
 * training rows only.
 */
@Entity
@Table(name = "dataset_version")
public class DatasetVersion {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private UUID datasetId;
  private int version;
  private String fileName;
  private String format;
  private String objectKey;
  private int rowCount;
  private long sizeBytes;
  private String sha256;
  private Instant createdAt;
  private @Nullable String qualityReport;
  private @Nullable String validationObjectKey;
  private int validationRowCount;
  private String split = "none";
  private String kind = SFT;
  private @Nullable String preferenceReport;

  /** A version of supervised chat rows. */
  public static final String SFT = "sft";

  /** A version of preference pairs (preference JSONL), for DPO. */
  public static final String PREFERENCE = "preference";

  protected DatasetVersion() {}

  /**
   * @param format the stored name of the upload's format: a {@code DatasetFormat}'s {@code id()} or
   *     {@code arrayId()}
   */
  public DatasetVersion(
      UUID id,
      UUID datasetId,
      int version,
      String fileName,
      String format,
      String objectKey,
      int rowCount,
      long sizeBytes,
      String sha256,
      @Nullable String qualityReport,
      Instant now) {
    this.id = id;
    this.datasetId = datasetId;
    this.version = version;
    this.fileName = fileName;
    this.format = format;
    this.objectKey = objectKey;
    this.rowCount = rowCount;
    this.sizeBytes = sizeBytes;
    this.sha256 = sha256;
    this.createdAt = now;
    this.qualityReport = qualityReport;
  }

  /**
   * Gives the version a validation file of {@code rows} rows, divided from the training rows as
   * {@code split} says.
   */
  public DatasetVersion withValidation(@Nullable String objectKey, int rows, String split) {
    this.validationObjectKey = objectKey;
    this.validationRowCount = rows;
    this.split = split;
    return this;
  }

  public UUID getId() {
    return id;
  }

  public UUID getTenantId() {
    return tenantId;
  }

  public UUID getDatasetId() {
    return datasetId;
  }

  public int getVersion() {
    return version;
  }

  public String getFileName() {
    return fileName;
  }

  public String getFormat() {
    return format;
  }

  public String getObjectKey() {
    return objectKey;
  }

  public int getRowCount() {
    return rowCount;
  }

  public long getSizeBytes() {
    return sizeBytes;
  }

  public String getSha256() {
    return sha256;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  /** The {@link QualityReport} as JSON; null for versions stored before reports existed. */
  public @Nullable String getQualityReport() {
    return qualityReport;
  }

  /** Makes this a version of preference pairs, with their report as JSON. */
  public DatasetVersion withPreferencePairs(String report) {
    this.kind = PREFERENCE;
    this.preferenceReport = report;
    return this;
  }

  /** {@value #SFT} or {@value #PREFERENCE}. */
  public String getKind() {
    return kind;
  }

  /** The {@code PreferenceReport} as JSON; null for chat rows. */
  public @Nullable String getPreferenceReport() {
    return preferenceReport;
  }

  public @Nullable String getValidationObjectKey() {
    return validationObjectKey;
  }

  public int getValidationRowCount() {
    return validationRowCount;
  }

  /**
   * How the rows were divided, e.g. {@code random 10% (seed 42)}; {@code none} without validation.
   */
  public String getSplit() {
    return split;
  }
}
