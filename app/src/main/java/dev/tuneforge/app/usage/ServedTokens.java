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

/** One generation served to a tenant: its tokens and their price then. */
@Entity
@Table(name = "served_tokens")
public class ServedTokens {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private String model;
  private UUID baseModelId;
  private @Nullable UUID jobId;
  private UUID nodeId;
  private String nodeName;
  private String caller;
  private long promptTokens;
  private long completionTokens;

  @Column(name = "price_per_1k")
  private BigDecimal pricePer1k;

  private BigDecimal cost;
  private Instant servedAt;

  protected ServedTokens() {}

  ServedTokens(Served served, BigDecimal pricePer1k) {
    this.id = UUID.randomUUID();
    this.model = clip(served.model(), 300);
    this.baseModelId = served.baseModelId();
    this.jobId = served.jobId();
    this.nodeId = served.nodeId();
    this.nodeName = clip(served.nodeName(), 200);
    this.caller = clip(served.caller(), 200);
    this.promptTokens = served.promptTokens();
    this.completionTokens = served.completionTokens();
    this.pricePer1k = pricePer1k;
    this.cost = Money.tokens(promptTokens, completionTokens, pricePer1k, pricePer1k);
    this.servedAt = served.at();
  }

  private static String clip(String text, int length) {
    return text.length() > length ? text.substring(0, length) : text;
  }

  /** A generation served, as the serving feature reports it. */
  public record Served(
      UUID tenantId,
      String model,
      UUID baseModelId,
      @Nullable UUID jobId,
      UUID nodeId,
      String nodeName,
      String caller,
      long promptTokens,
      long completionTokens,
      Instant at) {}

  public UUID getTenantId() {
    return tenantId;
  }

  public String getModel() {
    return model;
  }

  public @Nullable UUID getJobId() {
    return jobId;
  }

  public String getNodeName() {
    return nodeName;
  }

  public String getCaller() {
    return caller;
  }

  public long getPromptTokens() {
    return promptTokens;
  }

  public long getCompletionTokens() {
    return completionTokens;
  }

  public BigDecimal getPricePer1k() {
    return pricePer1k;
  }

  public BigDecimal getCost() {
    return cost;
  }

  public Instant getServedAt() {
    return servedAt;
  }
}
