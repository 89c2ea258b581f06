package dev.tuneforge.app.account;

import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accounts of single sign-on users: provisioned into the tenant the provider's token names at the
 * first sign-in, and brought up to date (tenant, role, name) whenever the provider's claims are
 * read again. A token naming no SSO tenant, or no role of ours, is refused with a reason the
 * sign-in page shows ({@link Refusal}). Two first sign-ins racing (two tabs, or two replicas) end
 * in one account: the database's unique user name and subject decide, and the loser reads the
 * winner's row.
 */
@Component
class SsoAccounts {
  private static final Logger log = LoggerFactory.getLogger(SsoAccounts.class);
  private static final Pattern NOT_IN_USERNAME = Pattern.compile("[^a-zA-Z0-9._@-]");

  /** Why a sign-in was refused; the code travels to the sign-in page as {@code ?sso=CODE}. */
  enum Refusal {
    NO_TENANT("no-tenant"),
    NO_ROLE("no-role"),
    DISABLED("disabled"),
    NAME_TAKEN("name-taken");

    final String code;

    Refusal(String code) {
      this.code = code;
    }
  }

  private final UserRepository users;
  private final TenantService tenants;
  private final SsoProperties properties;
  private final TransactionTemplate transactions;

  SsoAccounts(
      UserRepository users,
      TenantService tenants,
      SsoProperties properties,
      PlatformTransactionManager transactions) {
    this.users = users;
    this.tenants = tenants;
    this.properties = properties;
    this.transactions = new TransactionTemplate(transactions);
  }

  /**
   * The account for the provider's subject, created or updated from {@code claims}.
   *
   * @throws OAuth2AuthenticationException with a {@link Refusal}'s code as its error code
   */
  SignedInUser signIn(String issuer, String subject, Map<String, Object> claims) {
    try {
      return inTransaction(issuer, subject, claims);
    } catch (DataIntegrityViolationException raced) {
      // Another first sign-in inserted this subject or this user name after our look-up; it has
      // committed (PostgreSQL holds our insert until then), so a second look-up sees its row.
      log.info(
          "A concurrent SSO sign-in of subject {} provisioned first; reading its account", subject);
      return inTransaction(issuer, subject, claims);
    }
  }

  private SignedInUser inTransaction(String issuer, String subject, Map<String, Object> claims) {
    return Objects.requireNonNull(
        transactions.execute(status -> signInOnce(issuer, subject, claims)));
  }

  private SignedInUser signInOnce(String issuer, String subject, Map<String, Object> claims) {
    Set<String> groups = SsoClaims.tenantNames(claims, properties.tenantClaim());
    Tenant tenant =
        tenants
            .findBySsoGroup(groups)
            .orElseThrow(() -> refuse(Refusal.NO_TENANT, subject, "groups " + groups));
    Role role =
        SsoClaims.role(claims, properties.roleClaim(), properties.roles())
            .orElseThrow(() -> refuse(Refusal.NO_ROLE, subject, "in tenant " + tenant.getName()));
    String key = issuer + "#" + subject;
    String display = displayName(claims);
    AppUser user =
        users
            .findByExternalSubject(key)
            .orElseGet(
                () -> {
                  String name = username(claims, subject);
                  if (users.existsByUsernameIgnoreCase(name)) {
                    throw refuse(Refusal.NAME_TAKEN, subject, "user name " + name);
                  }
                  log.info("Provisioned SSO user '{}' in tenant {}", name, tenant.getName());
                  return AppUser.provisioned(tenant.getId(), name, display, role, key);
                });
    if (!user.isEnabled()) {
      throw refuse(Refusal.DISABLED, subject, "user " + user.getUsername());
    }
    user.moveTo(tenant.getId());
    user.setRole(role);
    user.setDisplayName(display);
    // Flushed here, so that a raced insert fails inside the attempt and is told apart from others.
    return SignedInUser.of(users.saveAndFlush(user));
  }

  private static String username(Map<String, Object> claims, String subject) {
    Object preferred = claims.get("preferred_username");
    String name =
        NOT_IN_USERNAME.matcher(preferred instanceof String text ? text : subject).replaceAll("-");
    return name.length() > 100 ? name.substring(0, 100) : name;
  }

  private static String displayName(Map<String, Object> claims) {
    for (String claim : new String[] {"name", "preferred_username", "sub"}) {
      if (claims.get(claim) instanceof String text && !text.isBlank()) {
        return text.length() > 200 ? text.substring(0, 200) : text;
      }
    }
    return "SSO user";
  }

  private static OAuth2AuthenticationException refuse(
      Refusal refusal, String subject, String detail) {
    log.warn("Refused SSO sign-in of subject {}: {} ({})", subject, refusal.code, detail);
    // The description names the subject for the audit log; the sign-in page shows only the code.
    return new OAuth2AuthenticationException(
        new OAuth2Error(refusal.code, "subject " + subject + ", " + detail, null), refusal.code);
  }
}
