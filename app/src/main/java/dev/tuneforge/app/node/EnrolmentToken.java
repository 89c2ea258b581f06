package dev.tuneforge.app.node;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A one-time token an admin hands to a new node; stored hashed, usable once, expiring. */
@Entity
@Table(name = "enrolment_token")
class EnrolmentToken {
  @Id private UUID id;
  private String tokenHash;
  private Instant createdAt;
  private Instant expiresAt;
  private @Nullable Instant usedAt;
  private @Nullable UUID nodeId;

  protected EnrolmentToken() {}

  EnrolmentToken(String tokenHash, Instant now, Instant expiresAt) {
    this.id = UUID.randomUUID();
    this.tokenHash = tokenHash;
    this.createdAt = now;
    this.expiresAt = expiresAt;
  }

  boolean usable(Instant now) {
    return usedAt == null && now.isBefore(expiresAt);
  }

  void use(UUID node, Instant now) {
    usedAt = now;
    nodeId = node;
  }
}
