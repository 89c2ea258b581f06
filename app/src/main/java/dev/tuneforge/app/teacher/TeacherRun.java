package dev.tuneforge.app.teacher;

import dev.tuneforge.app.work.ActingUser;
import dev.tuneforge.app.work.UserRun;
import dev.tuneforge.app.work.WorkState;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One run of the pipeline against one endpoint; its work is in {@link TeacherItem}s. */
@Entity
@Table(name = "teacher_run")
public class TeacherRun extends UserRun {
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

  private @Nullable UUID datasetVersionId;
  private @Nullable Instant startedAt;

  protected TeacherRun() {}

  TeacherRun(
      TeacherRunRequest request,
      TeacherEndpoint endpoint,
      ActingUser createdBy,
      Instant createdAt) {
    super(createdBy, createdAt);
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
  }

  void queue() {
    status = RunStatus.QUEUED;
    forgetCancelRequest();
    reopened();
  }

  @Override
  public boolean isActive() {
    return status.active();
  }

  /**
   * Started again after a cancel or a restart, it keeps when it first started; an end clears a
   * cancel request.
   */
  @Override
  protected void moveTo(WorkState state, Instant now) {
    status = RunStatus.valueOf(state.name());
    if (state != WorkState.RUNNING) {
      forgetCancelRequest();
    } else if (startedAt == null) {
      startedAt = now;
    }
  }

  void succeed(UUID versionId, Instant now) {
    datasetVersionId = versionId;
    succeed(now);
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

  public @Nullable UUID getDatasetVersionId() {
    return datasetVersionId;
  }

  public @Nullable Instant getStartedAt() {
    return startedAt;
  }
}
