package dev.tuneforge.app.teacher;

import dev.tuneforge.app.work.ActingUser;
import dev.tuneforge.app.work.ResumableRun;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One run of the pipeline against one endpoint; its work is in {@link TeacherItem}s. */
@Entity
@Table(name = "teacher_run")
public class TeacherRun extends ResumableRun {
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
  private @Nullable UUID datasetVersionId;
  private boolean preferencePairs;
  private int preferenceMargin;
  private @Nullable UUID preferenceVersionId;

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
    this.preferencePairs = request.preferencePairs();
    this.preferenceMargin = request.preferenceMargin();
  }

  /** Stored before the chat rows, so that a resumed run does not store its pairs twice. */
  void recordPreferenceVersion(UUID versionId) {
    preferenceVersionId = versionId;
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

  public @Nullable UUID getDatasetVersionId() {
    return datasetVersionId;
  }

  /** Whether the run makes preference pairs besides its chat rows. */
  public boolean isPreferencePairs() {
    return preferencePairs;
  }

  /** By how many points (of 10) the judge's scores must differ for a pair to be kept. */
  public int getPreferenceMargin() {
    return preferenceMargin;
  }

  /** The preference dataset version the run stored; null when it stored none (yet). */
  public @Nullable UUID getPreferenceVersionId() {
    return preferenceVersionId;
  }

  /** The stages this run goes through. */
  public List<Stage> stages() {
    List<Stage> all = List.of(Stage.values());
    return preferencePairs ? all : all.subList(0, Stage.FILTER.ordinal() + 1);
  }
}
