package dev.tuneforge.app.apikey;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys: issued to a user (the text is answered once, only its hash is kept), listed, revoked
 * (refused from the next request on). A user manages their own keys; a tenant admin those of the
 * tenant's members; a platform admin everyone's. Another tenant's key or user is not found.
 */
@Service
public class ApiKeys {
  /** "Last used" is written at most once a minute per key. */
  static final Duration LAST_USED_GRAIN = Duration.ofMinutes(1);

  private static final int MAX_NAME_LENGTH = 100;

  private final ApiKeyRepository keys;
  private final AccountService accounts;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  ApiKeys(
      ApiKeyRepository keys,
      AccountService accounts,
      Clock clock,
      ApplicationEventPublisher events) {
    this.keys = keys;
    this.accounts = accounts;
    this.clock = clock;
    this.events = events;
  }

  /** A new key and its text, which is shown this once and never again. */
  public record IssuedKey(ApiKeyInfo key, String text) {}

  /** The principal and key a request's key stands for. */
  record Authenticated(SignedInUser user, UUID keyId) {}

  /**
   * Issues a key to {@code userId}, named {@code name}, valid until {@code expiresAt} (null: until
   * revoked).
   *
   * @throws NoSuchElementException for a user the caller may not manage
   * @throws IllegalArgumentException for a blank or long name or an expiry in the past
   */
  @Transactional
  public IssuedKey issue(UUID userId, String name, @Nullable Instant expiresAt) {
    SignedInUser owner = managed(userId);
    Instant now = clock.instant();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new IllegalArgumentException("A key's expiry lies in the future, not at " + expiresAt);
    }
    String text = KeyText.generate();
    ApiKey key = keys.save(newKey(owner, name, text, now, expiresAt));
    events.publishEvent(
        new ApiKeyIssued(owner.tenantId(), key.getId(), owner.username(), key.getName()));
    return new IssuedKey(ApiKeyInfo.of(key, owner.username()), text);
  }

  /**
   * Stores a key whose text was chosen elsewhere (the bootstrap key) for {@code owner}, unless that
   * text is known already, revoked or not: a revoked bootstrap key stays revoked across restarts.
   */
  @Transactional
  boolean adopt(SignedInUser owner, String name, String text) {
    if (!KeyText.wellFormed(text)) {
      throw new IllegalArgumentException(
          "An API key is tf_ followed by 32 to 100 letters and digits");
    }
    if (keys.findBySecretHash(KeyText.hash(text)).isPresent()) {
      return false;
    }
    keys.save(newKey(owner, name, text, clock.instant(), null));
    return true;
  }

  private static ApiKey newKey(
      SignedInUser owner, String name, String text, Instant now, @Nullable Instant expiresAt) {
    String trimmed = name.strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "A key's name has 1 to " + MAX_NAME_LENGTH + " characters");
    }
    return new ApiKey(
        owner.tenantId(),
        owner.userId(),
        trimmed,
        KeyText.shown(text),
        KeyText.hash(text),
        now,
        expiresAt);
  }

  /** The caller's own keys, newest first, revoked ones included. */
  public List<ApiKeyInfo> mine() {
    SignedInUser caller = CurrentUser.require();
    return keys.findByUserIdOrderByCreatedAtDesc(caller.userId()).stream()
        .map(key -> ApiKeyInfo.of(key, caller.username()))
        .toList();
  }

  /** The keys of {@code userId}, for the user or an admin who manages them. */
  public List<ApiKeyInfo> of(UUID userId) {
    SignedInUser owner = managed(userId);
    return keys.findByUserIdOrderByCreatedAtDesc(userId).stream()
        .map(key -> ApiKeyInfo.of(key, owner.username()))
        .toList();
  }

  /** Every key an admin manages: the tenant's for a tenant admin, all for a platform admin. */
  public List<ApiKeyInfo> managedKeys() {
    SignedInUser caller = CurrentUser.require();
    Map<UUID, String> owners =
        accounts.visibleUsers().stream()
            .collect(Collectors.toMap(u -> u.getId(), u -> u.getUsername(), (a, b) -> a));
    List<ApiKey> found =
        switch (caller.role()) {
          case PLATFORM_ADMIN -> keys.findAllByOrderByCreatedAtDesc();
          case TENANT_ADMIN ->
              keys.findByTenantIdOrderByCreatedAtDesc(requireTenant(caller.tenantId()));
          case MEMBER -> List.of();
        };
    Function<ApiKey, String> owner = key -> owners.getOrDefault(key.getUserId(), "?");
    return found.stream().map(key -> ApiKeyInfo.of(key, owner.apply(key))).toList();
  }

  /**
   * Revokes a key; requests with it are refused from now on.
   *
   * @throws NoSuchElementException for a key the caller may not manage
   */
  @Transactional
  public ApiKeyInfo revoke(UUID keyId) {
    ApiKey key = keys.findById(keyId).orElseThrow(ApiKeys::noSuchKey);
    SignedInUser owner;
    try {
      owner = managed(key.getUserId());
    } catch (NoSuchElementException e) {
      throw noSuchKey();
    }
    key.revoke(clock.instant());
    events.publishEvent(
        new ApiKeyRevoked(owner.tenantId(), key.getId(), owner.username(), key.getName()));
    return ApiKeyInfo.of(keys.save(key), owner.username());
  }

  /**
   * The user a presented key stands for, if it is known, neither revoked nor expired, and its owner
   * is enabled; records the use.
   */
  Optional<Authenticated> authenticate(String text) {
    if (!text.startsWith(KeyText.PREFIX)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return keys.findBySecretHash(KeyText.hash(text))
        .filter(key -> key.isUsableAt(now))
        .flatMap(
            key ->
                accounts
                    .current(key.getUserId())
                    .filter(SignedInUser::isEnabled)
                    .map(
                        user -> {
                          touch(key, now);
                          return new Authenticated(user, key.getId());
                        }));
  }

  private void touch(ApiKey key, Instant now) {
    Instant lastUsed = key.getLastUsedAt();
    if (lastUsed == null || lastUsed.isBefore(now.minus(LAST_USED_GRAIN))) {
      keys.touch(key.getId(), now, now.minus(LAST_USED_GRAIN));
    }
  }

  /** The account {@code userId} if the caller may manage its keys; not found otherwise. */
  private SignedInUser managed(UUID userId) {
    SignedInUser caller = CurrentUser.require();
    return accounts
        .current(userId)
        .filter(owner -> mayManage(caller, owner))
        .orElseThrow(() -> new NoSuchElementException("No such user"));
  }

  static boolean mayManage(SignedInUser caller, SignedInUser owner) {
    return caller.userId().equals(owner.userId())
        || caller.role() == Role.PLATFORM_ADMIN
        || (caller.role() == Role.TENANT_ADMIN
            && owner.tenantId() != null
            && owner.tenantId().equals(caller.tenantId()));
  }

  private static UUID requireTenant(@Nullable UUID tenant) {
    if (tenant == null) {
      throw new IllegalStateException("a tenant admin belongs to a tenant");
    }
    return tenant;
  }

  private static NoSuchElementException noSuchKey() {
    return new NoSuchElementException("No such API key");
  }
}
