package dev.tuneforge.app.account;

import dev.tuneforge.app.tenancy.TenantService;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts: sign-in look-up, creation and listing. A platform admin manages every tenant's users; a
 * tenant admin only their own tenant's members.
 */
@Service
public class AccountService implements UserDetailsService {
  private static final Pattern USERNAME = Pattern.compile("[a-zA-Z0-9._@-]{3,100}");

  private final UserRepository users;
  private final TenantService tenants;
  private final PasswordEncoder passwordEncoder;
  private final ApplicationEventPublisher events;

  AccountService(
      UserRepository users,
      TenantService tenants,
      PasswordEncoder passwordEncoder,
      ApplicationEventPublisher events) {
    this.users = users;
    this.tenants = tenants;
    this.passwordEncoder = passwordEncoder;
    this.events = events;
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    return users
        .findByUsernameIgnoreCase(username)
        .map(
            user -> inActiveTenant(user) ? SignedInUser.of(user) : SignedInUser.of(user).disabled())
        .orElseThrow(() -> new UsernameNotFoundException("no such user"));
  }

  /** Members of a tenant scheduled for deletion cannot sign in, and their keys are refused. */
  private boolean inActiveTenant(AppUser user) {
    return user.getTenantId() == null || tenants.isActive(user.getTenantId());
  }

  @Transactional
  public AppUser create(
      @Nullable UUID tenantId, String username, String displayName, String password, Role role) {
    SignedInUser caller = CurrentUser.require();
    boolean platformAdmin = caller.role() == Role.PLATFORM_ADMIN;
    boolean ownTenantAdmin =
        caller.role() == Role.TENANT_ADMIN
            && tenantId != null
            && tenantId.equals(caller.tenantId());
    if (!platformAdmin && !ownTenantAdmin) {
      throw new AccessDeniedException("You may not create users in this tenant");
    }
    if (role == Role.PLATFORM_ADMIN && !platformAdmin) {
      throw new AccessDeniedException("Only platform admins create platform admins");
    }
    if (role != Role.PLATFORM_ADMIN && (tenantId == null || tenants.find(tenantId).isEmpty())) {
      throw new IllegalArgumentException("Choose the tenant this user belongs to");
    }
    if (role != Role.PLATFORM_ADMIN
        && tenants.find(tenantId).map(t -> t.getSsoGroup() != null).orElse(false)) {
      throw new IllegalArgumentException(
          "This tenant signs in through single sign-on: add the user to its group there");
    }
    PasswordPolicy.check(username, password);
    AppUser created =
        insert(
            role == Role.PLATFORM_ADMIN ? null : tenantId, username, displayName, password, role);
    events.publishEvent(
        new AccountChanged(
            created.getTenantId(),
            created.getId(),
            created.getUsername(),
            AccountChanged.Change.CREATED,
            role.name()));
    return created;
  }

  /** Seeds the first platform admin; does nothing once one exists. */
  @Transactional
  public boolean createFirstPlatformAdmin(String username, String password) {
    if (users.existsByRole(Role.PLATFORM_ADMIN)) {
      return false;
    }
    insert(null, username, "Platform admin", password, Role.PLATFORM_ADMIN);
    return true;
  }

  private AppUser insert(
      @Nullable UUID tenantId, String username, String displayName, String password, Role role) {
    String name = username.strip();
    if (!USERNAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "A username has 3 to 100 letters, digits or . _ @ - characters");
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("A password is required");
    }
    // Hashed before the name is checked, so a taken name is refused as slowly as a free one is
    // stored: the answer's time tells nothing either.
    String hash = passwordEncoder.encode(password);
    if (users.existsByUsernameIgnoreCase(name)) {
      throw nameNotAvailable(name);
    }
    String shown = displayName.isBlank() ? name : displayName.strip();
    try {
      return users.saveAndFlush(new AppUser(tenantId, name, shown, hash, role));
    } catch (DataIntegrityViolationException raced) {
      throw nameNotAvailable(name);
    }
  }

  /**
   * User names are one namespace for the whole platform (the sign-in form asks for no tenant), so a
   * name taken anywhere is refused with the same words whichever tenant holds it.
   */
  private static IllegalArgumentException nameNotAvailable(String name) {
    return new IllegalArgumentException(
        "The username '" + name + "' is not available; choose another");
  }

  /** The platform admin {@code username}; empty if there is no such platform admin. */
  public Optional<SignedInUser> platformAdmin(String username) {
    return users
        .findByUsernameIgnoreCase(username.strip())
        .filter(user -> user.getRole() == Role.PLATFORM_ADMIN)
        .map(SignedInUser::of);
  }

  /** The account {@code username} of {@code tenantId}; empty for anyone else's. */
  public Optional<SignedInUser> member(UUID tenantId, String username) {
    return users
        .findByUsernameIgnoreCase(username.strip())
        .filter(user -> tenantId.equals(user.getTenantId()))
        .map(SignedInUser::of);
  }

  /**
   * Users the caller may see: all for platform admins, their tenant's for everyone else; deleted
   * users are not shown.
   */
  public List<AppUser> visibleUsers() {
    SignedInUser caller = CurrentUser.require();
    if (caller.role() == Role.PLATFORM_ADMIN) {
      return users.findByDeletedAtIsNullOrderByUsername();
    }
    UUID tenant = caller.tenantId();
    return tenant == null
        ? List.of()
        : users.findByTenantIdAndDeletedAtIsNullOrderByUsername(tenant);
  }

  /**
   * The user as they stand now, for the check on every request; empty once they are disabled or
   * deleted, or their tenant is scheduled for deletion.
   */
  @Transactional(readOnly = true)
  public Optional<SignedInUser> current(UUID userId) {
    return users
        .findById(userId)
        .filter(user -> user.isEnabled() && !user.isDeleted() && inActiveTenant(user))
        .map(SignedInUser::of);
  }
}
