package dev.tuneforge.app.openai;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** The first answer to a creation request with an {@code Idempotency-Key}, kept for its repeats. */
@Entity
@Table(name = "openai_idempotency_key")
class IdempotentAnswer {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private String idempotencyKey;
  private String endpoint;
  private String requestHash;
  private int responseStatus;
  private String responseBody;
  private Instant createdAt;

  protected IdempotentAnswer() {}

  IdempotentAnswer(
      String idempotencyKey,
      String endpoint,
      String requestHash,
      int responseStatus,
      String responseBody,
      Instant createdAt) {
    this.id = UUID.randomUUID();
    this.idempotencyKey = idempotencyKey;
    this.endpoint = endpoint;
    this.requestHash = requestHash;
    this.responseStatus = responseStatus;
    this.responseBody = responseBody;
    this.createdAt = createdAt;
  }

  String getRequestHash() {
    return requestHash;
  }

  int getResponseStatus() {
    return responseStatus;
  }

  String getResponseBody() {
    return responseBody;
  }
}
