package dev.tuneforge.app.usage;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * One stretch of time a job held a node, at the node's price then. Open ({@code endedAt} null)
 * while the node holds the job; its cost so far is then the price times the time since it began.
 */
@Entity
@Table(name = "usage_record")
public class UsageRecord {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private UUID jobId;
  private String jobName;
  private UUID userId;
  private UUID baseModelId;
  private String baseModelName;
  private UUID nodeId;
  private String nodeName;
  private String nodeClass;
  private BigDecimal pricePerGpuHour;
  private String kind;
  private Instant startedAt;
  private @Nullable Instant endedAt;
  private long seconds;
  private long tokensAtStart;
  private long trainedTokens;
  private BigDecimal cost;

  protected UsageRecord() {}

  UsageRecord(UsageSegment segment, String baseModelName, UsageKind kind) {
    this.id = UUID.randomUUID();
    this.jobId = segment.jobId();
    this.jobName = clip(segment.jobName());
    this.userId = segment.userId();
    this.baseModelId = segment.baseModelId();
    this.baseModelName = clip(baseModelName);
    this.nodeId = segment.nodeId();
    this.nodeName = clip(segment.nodeName());
    this.nodeClass = segment.nodeClass();
    this.pricePerGpuHour = segment.pricePerGpuHour();
    this.kind = kind.wire();
    this.startedAt = segment.at();
    this.tokensAtStart = segment.tokensAtStart();
    this.cost = BigDecimal.ZERO;
  }

  /**
   * The evaluation part of a finished training segment: same node and price, the last {@code
   * seconds} of it.
   */
  UsageRecord(UsageRecord training, long seconds, long generatedTokens) {
    this.id = UUID.randomUUID();
    this.jobId = training.jobId;
    this.jobName = training.jobName;
    this.userId = training.userId;
    this.baseModelId = training.baseModelId;
    this.baseModelName = training.baseModelName;
    this.nodeId = training.nodeId;
    this.nodeName = training.nodeName;
    this.nodeClass = training.nodeClass;
    this.pricePerGpuHour = training.pricePerGpuHour;
    this.kind = UsageKind.EVALUATION.wire();
    Instant end = training.endedAt;
    if (end == null) {
      throw new IllegalStateException("Only a closed segment has an evaluation to split off");
    }
    this.startedAt = end.minusSeconds(seconds);
    this.endedAt = end;
    this.seconds = seconds;
    this.trainedTokens = generatedTokens;
    this.cost = Money.cost(pricePerGpuHour, seconds);
  }

  void close(Instant at, long tokensNow) {
    endedAt = at.isBefore(startedAt) ? startedAt : at;
    seconds = wholeSeconds(Duration.between(startedAt, endedAt));
    trainedTokens = Math.max(0, tokensNow - tokensAtStart);
    cost = Money.cost(pricePerGpuHour, seconds);
  }

  /**
   * Gives the last {@code moved} seconds of this (closed) segment to an evaluation segment: it ends
   * that much earlier.
   */
  void shorten(long moved) {
    seconds -= moved;
    cost = Money.cost(pricePerGpuHour, seconds);
    if (endedAt != null) {
      endedAt = endedAt.minusSeconds(moved);
    }
  }

  /**
   * Whether this evaluation segment was split off {@code training}: it begins where that ends (or,
   * split before training segments were shortened in time, ends where it ends).
   */
  boolean follows(UsageRecord training) {
    return startedAt.equals(training.endedAt)
        || java.util.Objects.equals(endedAt, training.endedAt);
  }

  /** The cost, or for an open segment what it has cost up to {@code now}. */
  public BigDecimal costAt(Instant now) {
    return endedAt != null ? cost : Money.cost(pricePerGpuHour, secondsAt(now));
  }

  public long secondsAt(Instant now) {
    return endedAt != null ? seconds : Math.max(0, wholeSeconds(Duration.between(startedAt, now)));
  }

  /**
   * To the nearest second: PostgreSQL keeps microseconds, rounding, so a stored start can move by
   * half of one.
   */
  private static long wholeSeconds(Duration duration) {
    return Math.round(duration.toMillis() / 1000.0);
  }

  private static String clip(String text) {
    return text.length() > 200 ? text.substring(0, 200) : text;
  }

  public UUID getId() {
    return id;
  }

  public UUID getTenantId() {
    return tenantId;
  }

  public UUID getJobId() {
    return jobId;
  }

  public String getJobName() {
    return jobName;
  }

  public UUID getUserId() {
    return userId;
  }

  public UUID getBaseModelId() {
    return baseModelId;
  }

  public String getBaseModelName() {
    return baseModelName;
  }

  public UUID getNodeId() {
    return nodeId;
  }

  public String getNodeName() {
    return nodeName;
  }

  public String getNodeClass() {
    return nodeClass;
  }

  public BigDecimal getPricePerGpuHour() {
    return pricePerGpuHour;
  }

  public UsageKind getKind() {
    return UsageKind.valueOf(kind.toUpperCase(Locale.ROOT));
  }

  public Instant getStartedAt() {
    return startedAt;
  }

  public @Nullable Instant getEndedAt() {
    return endedAt;
  }

  public long getSeconds() {
    return seconds;
  }

  public long getTrainedTokens() {
    return trainedTokens;
  }

  public BigDecimal getCost() {
    return cost;
  }
}
