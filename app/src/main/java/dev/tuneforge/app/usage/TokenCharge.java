package dev.tuneforge.app.usage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * Tokens a tenant bought from one of its teacher endpoints for work the platform ran in its name
 * (the LLM judge, one row per judged example; the teacher pipeline, one row per call), priced at
 * the endpoint's prices then.
 */
@Entity
@Table(name = "token_charge")
public class TokenCharge {
  /** The work that bought the tokens: the LLM judge. */
  public static final String JUDGE = "judge";

  /** The work that bought the tokens: a teacher pipeline run, one row per call. */
  public static final String TEACHER = "teacher";

  @Id private UUID id;
  @TenantId private UUID tenantId;
  private String kind;
  private UUID runId;
  private @Nullable UUID jobId;
  private String endpointName;
  private String model;
  private UUID userId;
  private String username;
  private long promptTokens;
  private long completionTokens;

  @Column(name = "price_per_1k_prompt")
  private BigDecimal pricePer1kPrompt;

  @Column(name = "price_per_1k_completion")
  private BigDecimal pricePer1kCompletion;

  private BigDecimal cost;
  private Instant chargedAt;

  protected TokenCharge() {}

  TokenCharge(Charged charged) {
    this.id = UUID.randomUUID();
    this.kind = charged.kind();
    this.runId = charged.runId();
    this.jobId = charged.jobId();
    this.endpointName = clip(charged.endpointName(), 200);
    this.model = clip(charged.model(), 200);
    this.userId = charged.userId();
    this.username = clip(charged.username(), 100);
    this.promptTokens = charged.promptTokens();
    this.completionTokens = charged.completionTokens();
    this.pricePer1kPrompt = charged.prices().prompt();
    this.pricePer1kCompletion = charged.prices().completion();
    this.cost =
        Money.tokens(promptTokens, completionTokens, pricePer1kPrompt, pricePer1kCompletion);
    this.chargedAt = charged.at();
  }

  private static String clip(String text, int length) {
    return text.length() > length ? text.substring(0, length) : text;
  }

  /** An endpoint's prices per 1,000 tokens; zero where it has none. */
  public record Prices(BigDecimal prompt, BigDecimal completion) {
    public static final Prices NONE = new Prices(BigDecimal.ZERO, BigDecimal.ZERO);

    public static Prices of(@Nullable BigDecimal prompt, @Nullable BigDecimal completion) {
      return new Prices(
          prompt == null ? BigDecimal.ZERO : prompt,
          completion == null ? BigDecimal.ZERO : completion);
    }

    public boolean priced() {
      return prompt.signum() > 0 || completion.signum() > 0;
    }

    public BigDecimal cost(long promptTokens, long completionTokens) {
      return Money.tokens(promptTokens, completionTokens, prompt, completion);
    }
  }

  /** Tokens bought, as the feature that bought them reports them. */
  public record Charged(
      String kind,
      UUID runId,
      @Nullable UUID jobId,
      String endpointName,
      String model,
      UUID userId,
      String username,
      long promptTokens,
      long completionTokens,
      Prices prices,
      Instant at) {}

  public String getKind() {
    return kind;
  }

  public UUID getRunId() {
    return runId;
  }

  /** The fine-tune the tokens were bought for (the judge's), or null (a teacher run's). */
  public @Nullable UUID getJobId() {
    return jobId;
  }

  public String getEndpointName() {
    return endpointName;
  }

  public String getModel() {
    return model;
  }

  public String getUsername() {
    return username;
  }

  public long getPromptTokens() {
    return promptTokens;
  }

  public long getCompletionTokens() {
    return completionTokens;
  }

  public BigDecimal getCost() {
    return cost;
  }

  public Instant getChargedAt() {
    return chargedAt;
  }
}
