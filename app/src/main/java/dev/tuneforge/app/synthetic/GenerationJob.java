package dev.tuneforge.app.synthetic;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/** One run of the generator for a tenant: its spec, state, progress and the dataset version it made. */
@Entity
@Table(name = "generation_job")
public class GenerationJob {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private String datasetName;

  @Enumerated(EnumType.STRING)
  private DocumentKind documentKind;

  private String fields;
  private int rowCount;
  private long seed;
  private double noise;

  @Enumerated(EnumType.STRING)
  private GenerationStatus status;

  private int rowsDone;
  private boolean cancelRequested;
  private @Nullable String error;
  private @Nullable UUID datasetVersionId;
  private UUID createdBy;
  private String createdByUsername;
  private Instant createdAt;
  private @Nullable Instant startedAt;
  private @Nullable Instant finishedAt;

  protected GenerationJob() {}

  GenerationJob(String datasetName, GenerationSpec spec, UUID createdBy, String createdByUsername) {
    this.id = UUID.randomUUID();
    this.datasetName = datasetName;
    this.documentKind = spec.kind();
    this.fields = FieldSpecs.toJson(spec.fields());
    this.rowCount = spec.count();
    this.seed = spec.seed();
    this.noise = spec.noise();
    this.status = GenerationStatus.QUEUED;
    this.createdBy = createdBy;
    this.createdByUsername = createdByUsername;
    this.createdAt = Instant.now();
  }

  void start() {
    status = GenerationStatus.RUNNING;
    rowsDone = 0;
    startedAt = Instant.now();
  }

  void progress(int rows) {
    rowsDone = rows;
  }

  void succeed(UUID versionId) {
    datasetVersionId = versionId;
    rowsDone = rowCount;
    finish(GenerationStatus.SUCCEEDED, null);
  }

  void finish(GenerationStatus outcome, @Nullable String reason) {
    status = outcome;
    error = reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 1997) + "...";
    finishedAt = Instant.now();
  }

  void requestCancel() {
    cancelRequested = true;
  }

  public GenerationSpec spec() {
    return new GenerationSpec(fieldSpecs(), documentKind, rowCount, seed, noise);
  }

  public List<FieldSpec> fieldSpecs() {
    return FieldSpecs.fromJson(fields);
  }

  public UUID getId() {
    return id;
  }

  public UUID getTenantId() {
    return tenantId;
  }

  public String getDatasetName() {
    return datasetName;
  }

  public DocumentKind getDocumentKind() {
    return documentKind;
  }

  public int getRowCount() {
    return rowCount;
  }

  public long getSeed() {
    return seed;
  }

  public double getNoise() {
    return noise;
  }

  public GenerationStatus getStatus() {
    return status;
  }

  public int getRowsDone() {
    return rowsDone;
  }

  /** Rows done as a fraction of the rows asked for. */
  public double progress() {
    return rowCount == 0 ? 0 : (double) rowsDone / rowCount;
  }

  public boolean isCancelRequested() {
    return cancelRequested;
  }

  public @Nullable String getError() {
    return error;
  }

  public @Nullable UUID getDatasetVersionId() {
    return datasetVersionId;
  }

  public UUID getCreatedBy() {
    return createdBy;
  }

  public String getCreatedByUsername() {
    return createdByUsername;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public @Nullable Instant getStartedAt() {
    return startedAt;
  }

  public @Nullable Instant getFinishedAt() {
    return finishedAt;
  }
}
