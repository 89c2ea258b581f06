package dev.tuneforge.app.teacher;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/** One run of the pipeline against one endpoint; its work is in {@link TeacherItem}s. */
@Entity
@Table(name = "teacher_run")
public class TeacherRun {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private UUID endpointId;
  private String name;
  private String teacherModel;
  private String domain;
  private String extractionSchema;
  private int categories;
  private int subtopicsPerCategory;
  private int documentsPerSubtopic;
  private double temperature;
  private long seed;

  @Enumerated(EnumType.STRING)
  private RunStatus status;

  private boolean cancelRequested;
  private @Nullable String error;
  private @Nullable UUID datasetVersionId;
  private UUID createdBy;
  private String createdByUsername;
  private Instant createdAt;
  private @Nullable Instant startedAt;
  private @Nullable Instant finishedAt;

  protected TeacherRun() {}

  TeacherRun(TeacherRunRequest request, TeacherEndpoint endpoint, UUID createdBy, String createdByUsername) {
    this.id = UUID.randomUUID();
    this.endpointId = endpoint.getId();
    this.name = request.name().strip();
    this.teacherModel = endpoint.getModel();
    this.domain = request.domain().strip();
    this.extractionSchema = request.schema().toJson();
    this.categories = request.categories();
    this.subtopicsPerCategory = request.subtopicsPerCategory();
    this.documentsPerSubtopic = request.documentsPerSubtopic();
    this.temperature = request.temperature();
    this.seed = request.seed();
    this.status = RunStatus.QUEUED;
    this.createdBy = createdBy;
    this.createdByUsername = createdByUsername;
    this.createdAt = Instant.now();
  }

  void queue() {
    status = RunStatus.QUEUED;
    cancelRequested = false;
    error = null;
    finishedAt = null;
  }

  void start() {
    status = RunStatus.RUNNING;
    if (startedAt == null) {
      startedAt = Instant.now();
    }
  }

  void requestCancel() {
    cancelRequested = true;
  }

  void finish(RunStatus outcome, @Nullable String reason) {
    status = outcome;
    error = reason == null ? null : reason.length() > 2000 ? reason.substring(0, 2000) : reason;
    cancelRequested = false;
    finishedAt = Instant.now();
  }

  void producedDataset(UUID versionId) {
    datasetVersionId = versionId;
  }

  public UUID getId() {
    return id;
  }

  public UUID getTenantId() {
    return tenantId;
  }

  public UUID getEndpointId() {
    return endpointId;
  }

  public String getName() {
    return name;
  }

  public String getTeacherModel() {
    return teacherModel;
  }

  public String getDomain() {
    return domain;
  }

  public ExtractionSchema getSchema() {
    return ExtractionSchema.fromJson(extractionSchema);
  }

  public int getCategories() {
    return categories;
  }

  public int getSubtopicsPerCategory() {
    return subtopicsPerCategory;
  }

  public int getDocumentsPerSubtopic() {
    return documentsPerSubtopic;
  }

  /** Documents the run sets out to write: categories × subtopics × documents per subtopic. */
  public int getPlannedDocuments() {
    return categories * subtopicsPerCategory * documentsPerSubtopic;
  }

  public double getTemperature() {
    return temperature;
  }

  public long getSeed() {
    return seed;
  }

  public RunStatus getStatus() {
    return status;
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

  UUID getCreatedBy() {
    return createdBy;
  }

  String getCreatedByUsername() {
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
