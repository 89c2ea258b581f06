package dev.tuneforge.app.account;

import dev.tuneforge.app.account.AccessRefused.Endpoint;
import dev.tuneforge.app.account.AccountChanged.Change;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What admins do to accounts after creating them: disable and enable, delete, change the role,
 * reset the password; and a user changing their own password. A platform admin manages everyone, a
 * tenant admin their own tenant's members; nobody disables, deletes or demotes themselves. Every
 * change applies on the user's next request (see {@link PrincipalRecheckFilter}).
 */
@Service
public class UserLifecycleService {
  private static final Logger log = LoggerFactory.getLogger(UserLifecycleService.class);

  private final UserRepository users;
  private final PasswordEncoder passwordEncoder;
  private final ClientThrottle throttle;
  private final ApplicationEventPublisher events;

  UserLifecycleService(
      UserRepository users,
      PasswordEncoder passwordEncoder,
      ClientThrottle throttle,
      ApplicationEventPublisher events) {
    this.users = users;
    this.passwordEncoder = passwordEncoder;
    this.throttle = throttle;
    this.events = events;
  }

  @Transactional
  public AppUser setEnabled(UUID userId, boolean enabled) {
    AppUser user = manageable(userId, true);
    user.setEnabled(enabled);
    log.info("{} {} user '{}'", who(), enabled ? "enabled" : "disabled", user.getUsername());
    changed(user, enabled ? Change.ENABLED : Change.DISABLED, "");
    return users.save(user);
  }

  /** Deletes the account; the datasets and jobs it created stay with the tenant. */
  @Transactional
  public void delete(UUID userId) {
    AppUser user = manageable(userId, true);
    String name = user.getUsername();
    changed(user, Change.DELETED, "");
    user.markDeleted(Instant.now());
    users.save(user);
    log.info("{} deleted user '{}'", who(), name);
  }

  @Transactional
  public AppUser changeRole(UUID userId, Role role) {
    AppUser user = manageable(userId, true);
    if (user.isSso()) {
      throw new IllegalArgumentException(
          user.getUsername() + "'s role comes from the single sign-on provider; change it there");
    }
    boolean platformAdmin = CurrentUser.require().role() == Role.PLATFORM_ADMIN;
    if ((role == Role.PLATFORM_ADMIN) != (user.getRole() == Role.PLATFORM_ADMIN)) {
      throw new IllegalArgumentException(
          platformAdmin
              ? "A platform admin belongs to no tenant: create a new account instead"
              : "Only platform admins make platform admins");
    }
    Role before = user.getRole();
    user.setRole(role);
    log.info("{} made user '{}' {}", who(), user.getUsername(), role);
    changed(user, Change.ROLE, before + " → " + role);
    return users.save(user);
  }

  @Transactional
  public void resetPassword(UUID userId, String password) {
    AppUser user = manageable(userId, false);
    if (user.isSso()) {
      throw new IllegalArgumentException(
          user.getUsername() + " signs in through single sign-on and has no password here");
    }
    PasswordPolicy.check(user.getUsername(), password);
    throttle
        .attempt(Endpoint.PASSWORD_RESET, CurrentUser.require().username(), ClientAddress.current())
        .ifPresent(
            refused -> {
              throw new IllegalArgumentException(
                  "Too many password resets in a row; try again in " + refused.seconds() + " s");
            });
    user.setPasswordHash(passwordEncoder.encode(password));
    users.save(user);
    log.info("{} reset the password of user '{}'", who(), user.getUsername());
    changed(user, Change.PASSWORD_RESET, "");
  }

  /**
   * Changes the caller's password. Wrong current passwords are throttled as sign-ins are (per
   * account and per client): after a few the next attempt is refused without being checked.
   *
   * @throws IllegalArgumentException when {@code current} is wrong, {@code next} breaks the
   *     password policy, or too many wrong ones came before
   */
  @Transactional
  public void changeOwnPassword(String current, String next) {
    AppUser user = users.findById(CurrentUser.require().userId()).orElseThrow();
    String address = ClientAddress.current();
    Endpoint endpoint = Endpoint.PASSWORD_CHANGE;
    throttle
        .attempt(endpoint, user.getUsername(), address)
        .ifPresent(
            refused -> {
              throw new IllegalArgumentException(refused.message());
            });
    if (user.isSso() || !passwordEncoder.matches(current, user.getPasswordHash())) {
      throttle.failed(endpoint, user.getUsername(), address, "wrong current password");
      throw new IllegalArgumentException("The current password is not right");
    }
    throttle.succeeded(endpoint, user.getUsername(), address);
    PasswordPolicy.check(user.getUsername(), next);
    user.setPasswordHash(passwordEncoder.encode(next));
    users.save(user);
    log.info("User '{}' changed their password", user.getUsername());
    changed(user, Change.PASSWORD_CHANGED, "");
  }

  private void changed(AppUser user, Change change, String detail) {
    events.publishEvent(
        new AccountChanged(user.getTenantId(), user.getId(), user.getUsername(), change, detail));
  }

  /**
   * The user {@code userId} if the caller may manage them; {@code notSelf} refuses the caller's own
   * account (so an admin cannot lock themselves out).
   */
  private AppUser manageable(UUID userId, boolean notSelf) {
    SignedInUser caller = CurrentUser.require();
    AppUser user =
        users
            .findById(userId)
            .filter(u -> !u.isDeleted())
            .orElseThrow(() -> new IllegalArgumentException("No such user"));
    boolean platformAdmin = caller.role() == Role.PLATFORM_ADMIN;
    boolean ownTenantAdmin =
        caller.role() == Role.TENANT_ADMIN
            && user.getTenantId() != null
            && Objects.equals(user.getTenantId(), caller.tenantId());
    if (!platformAdmin && !ownTenantAdmin) {
      throw new AccessDeniedException("You may not manage this user");
    }
    if (notSelf && user.getId().equals(caller.userId())) {
      throw new IllegalArgumentException("You cannot do this to your own account");
    }
    return user;
  }

  private static String who() {
    return "'" + CurrentUser.require().username() + "'";
  }
}
