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

/**
 * One unit of work of one stage: a teacher call (or, for the filter, a local check) and what it
 * gave. Items are created pending when the item they derive from is done, in the same transaction,
 * so a run stopped at any point resumes from its pending items.
 */
@Entity
@Table(name = "teacher_item")
public class TeacherItem {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private UUID runId;

  @Enumerated(EnumType.STRING)
  private Stage stage;

  private @Nullable UUID parentId;
  private @Nullable UUID documentId;
  private int ordinal;
  private @Nullable String category;
  private @Nullable String subtopic;

  @Enumerated(EnumType.STRING)
  private ItemStatus status;

  private @Nullable String output;
  private @Nullable String reason;
  private @Nullable String promptId;
  private @Nullable String provenance;
  private int attempts;
  private Instant updatedAt;

  protected TeacherItem() {}

  private TeacherItem(
      UUID runId,
      Stage stage,
      @Nullable TeacherItem parent,
      int ordinal,
      @Nullable String category,
      @Nullable String subtopic) {
    this.id = UUID.randomUUID();
    this.runId = runId;
    this.stage = stage;
    this.parentId = parent == null ? null : parent.id;
    this.documentId =
        parent == null ? null : stage == Stage.EXTRACTION ? parent.id : parent.documentId;
    this.ordinal = ordinal;
    this.category = category;
    this.subtopic = subtopic;
    this.status = ItemStatus.PENDING;
    this.updatedAt = Instant.now();
  }

  static TeacherItem first(UUID runId) {
    return new TeacherItem(runId, Stage.CATEGORIES, null, 0, null, null);
  }

  /** The next stage's item for this one, carrying its category and subtopic. */
  TeacherItem child(Stage next, int ordinal, @Nullable String category, @Nullable String subtopic) {
    return new TeacherItem(runId, next, this, ordinal, category, subtopic);
  }

  void done(String result, @Nullable String prompt) {
    settle(ItemStatus.DONE, result, null, prompt);
  }

  void failed(String why, @Nullable String prompt) {
    settle(ItemStatus.FAILED, null, why, prompt);
  }

  void rejected(String result, String why, String prompt) {
    settle(ItemStatus.REJECTED, result, why, prompt);
  }

  void retry() {
    status = ItemStatus.PENDING;
    reason = null;
    updatedAt = Instant.now();
  }

  void recordProvenance(String json) {
    provenance = json;
  }

  private void settle(
      ItemStatus outcome, @Nullable String result, @Nullable String why, @Nullable String prompt) {
    status = outcome;
    output = result;
    reason = why == null ? null : why.length() > 2000 ? why.substring(0, 1997) + "..." : why;
    promptId = prompt;
    attempts++;
    updatedAt = Instant.now();
  }

  public UUID getId() {
    return id;
  }

  public UUID getRunId() {
    return runId;
  }

  public Stage getStage() {
    return stage;
  }

  public @Nullable UUID getParentId() {
    return parentId;
  }

  /** The document item this item derives from (extraction, judge and filter items). */
  public @Nullable UUID getDocumentId() {
    return documentId;
  }

  public int getOrdinal() {
    return ordinal;
  }

  public @Nullable String getCategory() {
    return category;
  }

  public @Nullable String getSubtopic() {
    return subtopic;
  }

  public ItemStatus getStatus() {
    return status;
  }

  public @Nullable String getOutput() {
    return output;
  }

  public @Nullable String getReason() {
    return reason;
  }

  public @Nullable String getPromptId() {
    return promptId;
  }

  public @Nullable String getProvenance() {
    return provenance;
  }

  public int getAttempts() {
    return attempts;
  }
}
