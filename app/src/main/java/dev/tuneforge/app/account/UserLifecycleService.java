package dev.tuneforge.app.account;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  UserLifecycleService(UserRepository users, PasswordEncoder passwordEncoder) {
    this.users = users;
    this.passwordEncoder = passwordEncoder;
  }

  @Transactional
  public AppUser setEnabled(UUID userId, boolean enabled) {
    AppUser user = manageable(userId, true);
    user.setEnabled(enabled);
    log.info("{} {} user '{}'", who(), enabled ? "enabled" : "disabled", user.getUsername());
    return users.save(user);
  }

  /** Deletes the account; the datasets and jobs it created stay with the tenant. */
  @Transactional
  public void delete(UUID userId) {
    AppUser user = manageable(userId, true);
    String name = user.getUsername();
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
    user.setRole(role);
    log.info("{} made user '{}' {}", who(), user.getUsername(), role);
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
    user.setPasswordHash(passwordEncoder.encode(password));
    users.save(user);
    log.info("{} reset the password of user '{}'", who(), user.getUsername());
  }

  /**
   * @throws IllegalArgumentException when {@code current} is wrong or {@code next} breaks the
   *     password policy
   */
  @Transactional
  public void changeOwnPassword(String current, String next) {
    AppUser user = users.findById(CurrentUser.require().userId()).orElseThrow();
    if (user.isSso() || !passwordEncoder.matches(current, user.getPasswordHash())) {
      throw new IllegalArgumentException("The current password is not right");
    }
    PasswordPolicy.check(user.getUsername(), next);
    user.setPasswordHash(passwordEncoder.encode(next));
    users.save(user);
    log.info("User '{}' changed their password", user.getUsername());
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
