package dev.tuneforge.app.account;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A local account. Not a {@code @TenantId} entity because sign-in must find a user before any
 * tenant is known; {@link AccountService} scopes every listing by tenant itself.
 */
@Entity
@Table(name = "app_user")
public class AppUser {
  @Id private UUID id;
  private @Nullable UUID tenantId;
  private String username;
  private String displayName;
  private String passwordHash;

  @Enumerated(EnumType.STRING)
  private Role role;

  private boolean enabled;
  private Instant createdAt;

  protected AppUser() {}

  AppUser(
      @Nullable UUID tenantId,
      String username,
      String displayName,
      String passwordHash,
      Role role) {
    this.id = UUID.randomUUID();
    this.tenantId = tenantId;
    this.username = username;
    this.displayName = displayName;
    this.passwordHash = passwordHash;
    this.role = role;
    this.enabled = true;
    this.createdAt = Instant.now();
  }

  public UUID getId() {
    return id;
  }

  public @Nullable UUID getTenantId() {
    return tenantId;
  }

  public String getUsername() {
    return username;
  }

  public String getDisplayName() {
    return displayName;
  }

  String getPasswordHash() {
    return passwordHash;
  }

  public Role getRole() {
    return role;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
