package dev.tuneforge.app.teacher;

import dev.tuneforge.app.usage.TokenCharge;
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
 * An OpenAI-compatible chat endpoint of one tenant. The API key is stored only encrypted; what is
 * shown of it afterwards is its last four characters.
 */
@Entity
@Table(name = "teacher_endpoint")
public class TeacherEndpoint {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private String name;
  private String baseUrl;
  private String model;
  private String apiKeyCiphertext;
  private String apiKeyLastFour;
  private UUID createdBy;
  private Instant createdAt;

  @Column(name = "price_per_1k_prompt")
  private @Nullable BigDecimal pricePer1kPrompt;

  @Column(name = "price_per_1k_completion")
  private @Nullable BigDecimal pricePer1kCompletion;

  protected TeacherEndpoint() {}

  TeacherEndpoint(
      UUID id,
      String name,
      String baseUrl,
      String model,
      String apiKeyCiphertext,
      String apiKeyLastFour,
      UUID createdBy) {
    this.id = id;
    this.name = name;
    this.baseUrl = baseUrl;
    this.model = model;
    this.apiKeyCiphertext = apiKeyCiphertext;
    this.apiKeyLastFour = apiKeyLastFour;
    this.createdBy = createdBy;
    this.createdAt = Instant.now();
  }

  public UUID getId() {
    return id;
  }

  public UUID getTenantId() {
    return tenantId;
  }

  public String getName() {
    return name;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  public String getModel() {
    return model;
  }

  /** The key as it may be shown: its last four characters behind a mask. */
  public String getMaskedKey() {
    return "••••" + apiKeyLastFour;
  }

  String getApiKeyCiphertext() {
    return apiKeyCiphertext;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  /** What the endpoint's provider charges per 1,000 tokens; zero where no price is set. */
  public TokenCharge.Prices getPrices() {
    return TokenCharge.Prices.of(pricePer1kPrompt, pricePer1kCompletion);
  }

  void price(@Nullable BigDecimal prompt, @Nullable BigDecimal completion) {
    this.pricePer1kPrompt = prompt;
    this.pricePer1kCompletion = completion;
  }
}
