package dev.tuneforge.app.apikey;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.AppUser;
import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Provisioning for automation: tenants (platform admins), a tenant's users and their keys (its
 * admins too), and every user's own keys. {@code {tenant}} is a tenant's id or name; a tenant
 * admin's view of any other tenant is 404, as for one that does not exist.
 */
@RestController
@PublicApi
class ProvisioningController {
  private final TenantService tenants;
  private final AccountService accounts;
  private final ApiKeys keys;

  ProvisioningController(TenantService tenants, AccountService accounts, ApiKeys keys) {
    this.tenants = tenants;
    this.accounts = accounts;
    this.keys = keys;
  }

  record NewTenant(String name) {}

  /**
   * A tenant: {@code status} is {@code active}, or {@code deletion_scheduled} until {@code
   * deletionDueAt}, when its rows and objects are removed unless the deletion is undone.
   */
  record TenantJson(
      UUID id, String name, Instant createdAt, String status, @Nullable Instant deletionDueAt) {
    static TenantJson of(Tenant t) {
      return new TenantJson(
          t.getId(),
          t.getName(),
          t.getCreatedAt(),
          t.isScheduledForDeletion() ? "deletion_scheduled" : "active",
          t.getDeletionDueAt());
    }
  }

  record NewUser(String username, String role, String password, @Nullable String displayName) {}

  record UserJson(
      UUID id, String username, String displayName, String role, UUID tenant, Instant createdAt) {
    static UserJson of(AppUser u, UUID tenant) {
      return new UserJson(
          u.getId(),
          u.getUsername(),
          u.getDisplayName(),
          u.getRole().name(),
          tenant,
          u.getCreatedAt());
    }
  }

  record NewKey(String name, @Nullable Instant expiresAt) {}

  /** A new key: {@code key} is its text, answered this once. */
  record IssuedKeyJson(
      String key,
      UUID id,
      String name,
      String prefix,
      Instant createdAt,
      @Nullable Instant expiresAt) {
    static IssuedKeyJson of(ApiKeys.IssuedKey issued) {
      ApiKeyInfo k = issued.key();
      return new IssuedKeyJson(
          issued.text(), k.id(), k.name(), k.prefix(), k.createdAt(), k.expiresAt());
    }
  }

  @PostMapping("/api/tenants")
  ResponseEntity<TenantJson> createTenant(@RequestBody NewTenant body) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(TenantJson.of(tenants.create(body.name())));
  }

  @GetMapping("/api/tenants")
  List<TenantJson> tenants() {
    return tenants.list().stream().map(TenantJson::of).toList();
  }

  @GetMapping("/api/tenants/{tenant}")
  TenantJson tenant(@PathVariable String tenant) {
    return TenantJson.of(administered(tenant));
  }

  @PostMapping("/api/tenants/{tenant}/users")
  ResponseEntity<UserJson> createUser(@PathVariable String tenant, @RequestBody NewUser body) {
    UUID id = administered(tenant).getId();
    Role role = memberRole(body.role());
    String shown = body.displayName() == null ? "" : body.displayName();
    AppUser user = accounts.create(id, body.username(), shown, body.password(), role);
    return ResponseEntity.status(HttpStatus.CREATED).body(UserJson.of(user, id));
  }

  @GetMapping("/api/tenants/{tenant}/users")
  List<UserJson> users(@PathVariable String tenant) {
    UUID id = administered(tenant).getId();
    return accounts.visibleUsers().stream()
        .filter(u -> id.equals(u.getTenantId()))
        .map(u -> UserJson.of(u, id))
        .toList();
  }

  @PostMapping("/api/tenants/{tenant}/users/{username}/api-keys")
  ResponseEntity<IssuedKeyJson> issue(
      @PathVariable String tenant, @PathVariable String username, @RequestBody NewKey body) {
    UUID user = member(tenant, username).userId();
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(IssuedKeyJson.of(keys.issue(user, body.name(), body.expiresAt())));
  }

  @GetMapping("/api/tenants/{tenant}/users/{username}/api-keys")
  List<ApiKeyInfo> keys(@PathVariable String tenant, @PathVariable String username) {
    return keys.of(member(tenant, username).userId());
  }

  @DeleteMapping("/api/tenants/{tenant}/users/{username}/api-keys/{id}")
  ResponseEntity<Void> revoke(
      @PathVariable String tenant, @PathVariable String username, @PathVariable UUID id) {
    UUID user = member(tenant, username).userId();
    if (keys.of(user).stream().noneMatch(k -> k.id().equals(id))) {
      throw new NoSuchElementException("No such API key");
    }
    keys.revoke(id);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/api/api-keys")
  ResponseEntity<IssuedKeyJson> issueOwn(@RequestBody NewKey body) {
    UUID me = CurrentUser.require().userId();
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(IssuedKeyJson.of(keys.issue(me, body.name(), body.expiresAt())));
  }

  @GetMapping("/api/api-keys")
  List<ApiKeyInfo> ownKeys() {
    return keys.mine();
  }

  @DeleteMapping("/api/api-keys/{id}")
  ResponseEntity<Void> revokeOwn(@PathVariable UUID id) {
    UUID me = CurrentUser.require().userId();
    if (keys.mine().stream().noneMatch(k -> k.id().equals(id))) {
      throw new NoSuchElementException("No such API key");
    }
    keys.revoke(id);
    return ResponseEntity.noContent().build();
  }

  /** The tenant {@code ref} (id or name) if the caller administers it; 404 otherwise. */
  private Tenant administered(String ref) {
    SignedInUser caller = CurrentUser.require();
    Optional<Tenant> found = find(tenants, ref);
    boolean admin =
        caller.role() == Role.PLATFORM_ADMIN
            || (caller.role() == Role.TENANT_ADMIN
                && found.isPresent()
                && found.get().getId().equals(caller.tenantId()));
    if (!admin && found.isPresent() && found.get().getId().equals(caller.tenantId())) {
      throw new AccessDeniedException("Only the tenant's admins manage its users and keys");
    }
    return found.filter(t -> admin).orElseThrow(() -> new NoSuchElementException("No such tenant"));
  }

  private SignedInUser member(String tenant, String username) {
    return accounts
        .member(administered(tenant).getId(), username)
        .orElseThrow(() -> new NoSuchElementException("No such user"));
  }

  /** The tenant {@code ref} names, by id or by name. */
  static Optional<Tenant> find(TenantService tenants, String ref) {
    return parseId(ref).flatMap(tenants::find).or(() -> tenants.findByName(ref));
  }

  private static Optional<UUID> parseId(String ref) {
    try {
      return Optional.of(UUID.fromString(ref));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Role memberRole(String role) {
    String name = role.strip().toUpperCase(Locale.ROOT);
    if (!name.equals(Role.MEMBER.name()) && !name.equals(Role.TENANT_ADMIN.name())) {
      throw new IllegalArgumentException("A tenant user's role is MEMBER or TENANT_ADMIN");
    }
    return Role.valueOf(name);
  }
}
