package dev.tuneforge.app.apikey;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A stored API key: its owner, name, display prefix and the hash of its text, never the text. Not a
 * {@code @TenantId} entity because a request finds its key before any tenant is known; {@link
 * ApiKeys} scopes every listing itself.
 */
@Entity
@Table(name = "api_key")
class ApiKey {
  @Id private UUID id;
  private @Nullable UUID tenantId;
  private UUID userId;
  private String name;
  private String prefix;
  private String secretHash;
  private Instant createdAt;
  private @Nullable Instant expiresAt;
  private @Nullable Instant lastUsedAt;
  private @Nullable Instant revokedAt;

  protected ApiKey() {}

  ApiKey(
      @Nullable UUID tenantId,
      UUID userId,
      String name,
      String prefix,
      String secretHash,
      Instant createdAt,
      @Nullable Instant expiresAt) {
    this.id = UUID.randomUUID();
    this.tenantId = tenantId;
    this.userId = userId;
    this.name = name;
    this.prefix = prefix;
    this.secretHash = secretHash;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
  }

  UUID getId() {
    return id;
  }

  @Nullable UUID getTenantId() {
    return tenantId;
  }

  UUID getUserId() {
    return userId;
  }

  String getName() {
    return name;
  }

  String getPrefix() {
    return prefix;
  }

  Instant getCreatedAt() {
    return createdAt;
  }

  @Nullable Instant getExpiresAt() {
    return expiresAt;
  }

  @Nullable Instant getLastUsedAt() {
    return lastUsedAt;
  }

  @Nullable Instant getRevokedAt() {
    return revokedAt;
  }

  boolean isUsableAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  void revoke(Instant now) {
    if (revokedAt == null) {
      revokedAt = now;
    }
  }
}
