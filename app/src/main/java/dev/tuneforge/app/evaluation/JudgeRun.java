package dev.tuneforge.app.evaluation;

import dev.tuneforge.app.teacher.RunStatus;
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

/**
 * One LLM-judge run over a fine-tune's evaluation, through one teacher endpoint: its progress and,
 * once done, its {@link JudgeResults} as JSON. Each example's judgement is a {@link Judgement}.
 */
@Entity
@Table(name = "judge_run")
public class JudgeRun extends UserRun {
  private UUID jobId;
  private UUID endpointId;
  private String endpointName;
  private String judgeModel;
  private String promptId;

  @Enumerated(EnumType.STRING)
  private RunStatus status;

  private int examplesDone;
  private int examplesTotal;
  private @Nullable String results;
  private @Nullable Instant startedAt;

  protected JudgeRun() {}

  JudgeRun(
      UUID jobId,
      UUID endpointId,
      String endpointName,
      String judgeModel,
      int examplesTotal,
      ActingUser createdBy,
      Instant createdAt) {
    super(createdBy, createdAt);
    this.jobId = jobId;
    this.endpointId = endpointId;
    this.endpointName = endpointName;
    this.judgeModel = judgeModel;
    this.promptId = JudgePrompt.ID;
    this.examplesTotal = examplesTotal;
    this.status = RunStatus.QUEUED;
  }

  @Override
  public boolean isActive() {
    return status.active();
  }

  @Override
  protected void moveTo(WorkState state, Instant now) {
    status = RunStatus.valueOf(state.name());
    if (state != WorkState.RUNNING) {
      forgetCancelRequest();
    } else if (startedAt == null) {
      startedAt = now;
    }
  }

  void queue() {
    status = RunStatus.QUEUED;
    forgetCancelRequest();
    reopened();
  }

  void progressed(int done) {
    examplesDone = done;
  }

  void succeed(String resultsJson, Instant now) {
    results = resultsJson;
    examplesDone = examplesTotal;
    succeed(now);
  }

  public UUID getJobId() {
    return jobId;
  }

  public UUID getEndpointId() {
    return endpointId;
  }

  public String getEndpointName() {
    return endpointName;
  }

  public String getJudgeModel() {
    return judgeModel;
  }

  public String getPromptId() {
    return promptId;
  }

  public RunStatus getStatus() {
    return status;
  }

  public int getExamplesDone() {
    return examplesDone;
  }

  public int getExamplesTotal() {
    return examplesTotal;
  }

  @Nullable String getResults() {
    return results;
  }

  public @Nullable Instant getStartedAt() {
    return startedAt;
  }
}
