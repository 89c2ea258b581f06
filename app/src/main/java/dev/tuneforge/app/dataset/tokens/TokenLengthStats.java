package dev.tuneforge.app.dataset.tokens;

import dev.tuneforge.app.work.WorkRun;
import dev.tuneforge.app.work.WorkState;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One count of a version's token lengths under a base model and maximum length: state, progress,
 * result.
 */
@Entity
@Table(name = "dataset_token_lengths")
class TokenLengthStats extends WorkRun {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private UUID datasetVersionId;
  private UUID baseModelId;
  private String baseModelName;
  private int maxLength;

  @Enumerated(EnumType.STRING)
  private TokenLengths.Status status;

  private int rowsDone;
  private int rowsTotal;
  private @Nullable Integer maxTokens;
  private @Nullable Double meanTokens;
  private @Nullable Integer p50Tokens;
  private @Nullable Integer p90Tokens;
  private @Nullable Integer p99Tokens;
  private @Nullable Integer truncatedRows;
  private @Nullable Long assistantTokens;
  private @Nullable Long assistantTokensLost;
  private @Nullable String histogram;
  private @Nullable Integer droppedRows;
  private @Nullable Integer keepsEveryRow;
  private @Nullable String rowsOver;

  protected TokenLengthStats() {}

  TokenLengthStats(
      UUID datasetVersionId,
      UUID baseModelId,
      String baseModelName,
      int maxLength,
      Instant createdAt) {
    super(createdAt);
    this.datasetVersionId = datasetVersionId;
    this.baseModelId = baseModelId;
    this.baseModelName = baseModelName;
    this.maxLength = maxLength;
    this.status = TokenLengths.Status.QUEUED;
  }

  UUID getDatasetVersionId() {
    return datasetVersionId;
  }

  UUID getBaseModelId() {
    return baseModelId;
  }

  int getMaxLength() {
    return maxLength;
  }

  TokenLengths.Status getStatus() {
    return status;
  }

  /**
   * Whether this count must be made (again): it failed, or it succeeded before counts told the rows
   * the trainer leaves out.
   */
  boolean wanted() {
    return status == TokenLengths.Status.FAILED
        || (status == TokenLengths.Status.SUCCEEDED && droppedRows == null);
  }

  void queueAgain() {
    status = TokenLengths.Status.QUEUED;
    rowsDone = 0;
    reopened();
  }

  @Override
  public boolean isActive() {
    return !status.finished();
  }

  /**
   * A count has no cancelled state: one that was stopped failed, and asking again counts it anew.
   */
  @Override
  protected void moveTo(WorkState state, Instant now) {
    status =
        state == WorkState.CANCELLED
            ? TokenLengths.Status.FAILED
            : TokenLengths.Status.valueOf(state.name());
  }

  /** The rows are fetched and about to be counted. */
  void counting(int rows) {
    rowsTotal = rows;
    rowsDone = 0;
  }

  void progress(int rows) {
    rowsDone = rows;
  }

  void succeed(TokenLengths.Summary summary, Instant now) {
    status = TokenLengths.Status.SUCCEEDED;
    rowsDone = summary.rows();
    rowsTotal = summary.rows();
    maxTokens = summary.maxTokens();
    meanTokens = summary.meanTokens();
    p50Tokens = summary.p50();
    p90Tokens = summary.p90();
    p99Tokens = summary.p99();
    truncatedRows = summary.truncatedRows();
    assistantTokens = summary.assistantTokens();
    assistantTokensLost = summary.assistantTokensLost();
    histogram = JSON.writeValueAsString(summary.histogram());
    droppedRows = summary.droppedRows();
    keepsEveryRow = summary.keepsEveryRow();
    rowsOver = JSON.writeValueAsString(summary.rowsOver());
    succeed(now);
  }

  TokenLengths view() {
    TokenLengths.Summary summary = null;
    if (status == TokenLengths.Status.SUCCEEDED
        && histogram != null
        && maxTokens != null
        && meanTokens != null
        && p50Tokens != null
        && p90Tokens != null
        && p99Tokens != null
        && truncatedRows != null
        && assistantTokens != null
        && assistantTokensLost != null
        && droppedRows != null
        && keepsEveryRow != null
        && rowsOver != null) {
      List<TokenLengths.Bin> bins =
          JSON.readValue(histogram, new TypeReference<List<TokenLengths.Bin>>() {});
      Map<Integer, Integer> over =
          JSON.readValue(rowsOver, new TypeReference<Map<Integer, Integer>>() {});
      summary =
          new TokenLengths.Summary(
              rowsTotal,
              maxTokens,
              meanTokens,
              p50Tokens,
              p90Tokens,
              p99Tokens,
              truncatedRows,
              assistantTokens,
              assistantTokensLost,
              droppedRows,
              keepsEveryRow,
              over,
              bins);
    }
    return new TokenLengths(
        datasetVersionId,
        baseModelId,
        baseModelName,
        maxLength,
        status,
        rowsDone,
        rowsTotal,
        getError(),
        summary);
  }
}
