package dev.tuneforge.app.evaluation;

import dev.tuneforge.app.work.ActingUser;
import dev.tuneforge.app.work.ResumableRun;
import jakarta.persistence.Entity;
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
public class JudgeRun extends ResumableRun {
  private UUID jobId;
  private UUID endpointId;
  private String endpointName;
  private String judgeModel;
  private String promptId;
  private int examplesDone;
  private int examplesTotal;
  private @Nullable String results;

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

  public int getExamplesDone() {
    return examplesDone;
  }

  public int getExamplesTotal() {
    return examplesTotal;
  }

  @Nullable String getResults() {
    return results;
  }
}
