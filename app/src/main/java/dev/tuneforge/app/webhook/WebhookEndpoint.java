package dev.tuneforge.app.webhook;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.annotations.TenantId;

/**
 * A URL of a tenant's that wants some {@link WebhookEvent}s, and its signing secret, stored
 * encrypted and bound to the endpoint's id.
 */
@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpoint {
  @Id private UUID id;
  @TenantId private UUID tenantId;
  private String url;
  private String events;
  private String secret;
  private UUID createdBy;
  private Instant createdAt;
  private Instant secretSetAt;

  protected WebhookEndpoint() {}

  WebhookEndpoint(
      UUID id, String url, Collection<WebhookEvent> wanted, UUID createdBy, Instant now) {
    this.id = id;
    this.url = url;
    this.events = wanted.stream().map(WebhookEvent::type).sorted().collect(Collectors.joining(","));
    this.createdBy = createdBy;
    this.createdAt = now;
    this.secretSetAt = now;
  }

  void secret(String encrypted, Instant now) {
    this.secret = encrypted;
    this.secretSetAt = now;
  }

  String encryptedSecret() {
    return secret;
  }

  public UUID getId() {
    return id;
  }

  public UUID getTenantId() {
    return tenantId;
  }

  public String getUrl() {
    return url;
  }

  public Set<WebhookEvent> getEvents() {
    EnumSet<WebhookEvent> set = EnumSet.noneOf(WebhookEvent.class);
    Arrays.stream(events.split(","))
        .map(WebhookEvent::ofType)
        .flatMap(java.util.Optional::stream)
        .forEach(set::add);
    return set;
  }

  public boolean wants(WebhookEvent event) {
    return getEvents().contains(event);
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  /** When the current secret was made (at registration or the last rotation). */
  public Instant getSecretSetAt() {
    return secretSetAt;
  }
}
