package dev.tuneforge.app.apikey;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A key as pages and the API show it: never its text, only its first characters. */
public record ApiKeyInfo(
    UUID id,
    String owner,
    String name,
    String prefix,
    Instant createdAt,
    @Nullable Instant expiresAt,
    @Nullable Instant lastUsedAt,
    @Nullable Instant revokedAt) {

  /** Whether the key still authenticates at {@code now}. */
  public boolean activeAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  static ApiKeyInfo of(ApiKey key, String owner) {
    return new ApiKeyInfo(
        key.getId(),
        owner,
        key.getName(),
        key.getPrefix(),
        key.getCreatedAt(),
        key.getExpiresAt(),
        key.getLastUsedAt(),
        key.getRevokedAt());
  }
}
