package dev.tuneforge.app.synthetic;

import dev.tuneforge.app.work.ActingUser;
import dev.tuneforge.app.work.UserRun;
import dev.tuneforge.app.work.WorkState;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One run of the generator for a tenant: its spec, state, progress and the dataset version it made.
 */
@Entity
@Table(name = "generation_job")
public class GenerationJob extends UserRun {
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
  private @Nullable UUID datasetVersionId;
  private @Nullable Instant startedAt;

  protected GenerationJob() {}

  GenerationJob(String datasetName, GenerationSpec spec, ActingUser createdBy, Instant createdAt) {
    super(createdBy, createdAt);
    this.datasetName = datasetName;
    this.documentKind = spec.kind();
    this.fields = FieldSpecs.toJson(spec.fields());
    this.rowCount = spec.count();
    this.seed = spec.seed();
    this.noise = spec.noise();
    this.status = GenerationStatus.QUEUED;
  }

  @Override
  public boolean isActive() {
    return !status.finished();
  }

  /** Started again after a restart, it writes every row again. */
  @Override
  protected void moveTo(WorkState state, Instant now) {
    status = GenerationStatus.valueOf(state.name());
    if (state == WorkState.RUNNING) {
      rowsDone = 0;
      startedAt = now;
    }
  }

  void progress(int rows) {
    rowsDone = rows;
  }

  void succeed(UUID versionId, Instant now) {
    datasetVersionId = versionId;
    rowsDone = rowCount;
    succeed(now);
  }

  public GenerationSpec spec() {
    return new GenerationSpec(fieldSpecs(), documentKind, rowCount, seed, noise);
  }

  public List<FieldSpec> fieldSpecs() {
    return FieldSpecs.fromJson(fields);
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

  public @Nullable UUID getDatasetVersionId() {
    return datasetVersionId;
  }

  public @Nullable Instant getStartedAt() {
    return startedAt;
  }
}
