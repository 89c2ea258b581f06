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
  private @Nullable String externalSubject;
  private @Nullable Instant deletedAt;

  protected AppUser() {}

  static AppUser provisioned(
      UUID tenantId, String username, String displayName, Role role, String externalSubject) {
    AppUser user = new AppUser(tenantId, username, displayName, "", role);
    user.linkExternalSubject(externalSubject);
    return user;
  }

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

  /**
   * The single sign-on provider's issuer and subject for a user provisioned at their first SSO
   * sign-in; null for a local account.
   */
  public @Nullable String getExternalSubject() {
    return externalSubject;
  }

  /** Whether this user signs in through the single sign-on provider rather than a password. */
  public boolean isSso() {
    return externalSubject != null;
  }

  public boolean isDeleted() {
    return deletedAt != null;
  }

  void linkExternalSubject(String subject) {
    externalSubject = subject;
    passwordHash = "";
  }

  void moveTo(UUID tenant) {
    tenantId = tenant;
  }

  void setDisplayName(String name) {
    displayName = name;
  }

  void setRole(Role value) {
    role = value;
  }

  void setEnabled(boolean value) {
    enabled = value;
  }

  void setPasswordHash(String hash) {
    passwordHash = hash;
  }

  /** Disables the account, frees its user name and forgets its credentials; its rows stay. */
  void markDeleted(Instant when) {
    deletedAt = when;
    enabled = false;
    username = "deleted:" + id;
    passwordHash = "";
    externalSubject = null;
  }
}
