package dev.tuneforge.app.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;

/**
 * Brute-force protection of the sign-in form. Attempts are counted per account (the lower-cased
 * user name, whether it exists or not, so answers never tell) and per client address, in PostgreSQL
 * so that every replica agrees; a success takes its attempt back. From a few failures on, each
 * further failure refuses the next attempt for a growing delay (refused, not slept through, so no
 * thread waits); after more a lock refuses it for {@link #LOCK}. Failures and locks are logged.
 */
@Service
class SignInThrottle {
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final Duration LOCK = Duration.ofMinutes(15);
  static final Duration MAX_DELAY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

  /**
   * What failures are counted against, and how many of them in {@link #WINDOW} start the delays and
   * the lock. An address tolerates more: many users may share one behind a proxy.
   */
  enum Subject {
    ACCOUNT("account:", 5, 10, false),
    ADDRESS("address:", 20, 100, true),
    /** Wrong current passwords given to the password change, per account. */
    PASSWORD("password:", 5, 10, false),
    /**
     * Passwords an admin resets, per admin: every reset counts, since it checks no secret; a run of
     * them (a stolen admin session taking over accounts) slows down, then stops.
     */
    RESET("reset:", 10, 30, false),
    /** Unknown tokens sent to the node enrolment, per client. */
    ENROLMENT("enrolment:", 5, 10, true);

    private final String prefix;
    private final int delayFrom;
    private final int lockAt;
    private final boolean perClient;

    Subject(String prefix, int delayFrom, int lockAt, boolean perClient) {
      this.prefix = prefix;
      this.delayFrom = delayFrom;
      this.lockAt = lockAt;
      this.perClient = perClient;
    }

    String key(String value) {
      String normalized = perClient ? ClientAddress.network(value) : value.toLowerCase(Locale.ROOT);
      return prefix + normalized.substring(0, Math.min(normalized.length(), 200));
    }

    static Subject ofKey(String key) {
      for (Subject subject : values()) {
        if (key.startsWith(subject.prefix)) {
          return subject;
        }
      }
      throw new IllegalArgumentException(key);
    }

    /** How long the attempt after {@code failures} failures in the window is refused. */
    Duration refusalAfter(int failures) {
      if (failures >= lockAt) {
        return LOCK;
      }
      if (failures < delayFrom) {
        return Duration.ZERO;
      }
      int doublings = Math.min(failures - delayFrom, 30);
      Duration delay = Duration.ofSeconds(1L << doublings);
      return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }
  }

  /** One count an attempt adds to: a subject and its value (a user name or a client address). */
  record Claim(Subject subject, String value) {
    String key() {
      return subject.key(value);
    }
  }

  /** Why an attempt is refused before its password is looked at, and for how much longer. */
  record Refusal(Subject subject, boolean locked, Duration remaining) {}

  private final JdbcClient jdbc;
  private final Clock clock;
  private final UserRepository users;
  private final ApplicationEventPublisher events;

  SignInThrottle(
      JdbcClient jdbc, Clock clock, UserRepository users, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.users = users;
    this.events = events;
  }

  /**
   * Lets a sign-in attempt go ahead, counted as a failure in advance (a success takes it back), or
   * says why it is refused. Counting before the password is checked, under the row's lock, means
   * parallel guesses cannot all pass one check: each sees the ones before it.
   */
  @Transactional
  Optional<Refusal> attempt(String username, String address) {
    return attempt(
        List.of(new Claim(Subject.ACCOUNT, username), new Claim(Subject.ADDRESS, address)));
  }

  /** Like {@link #attempt(String, String)} for any counts, in a transaction of its own. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  Optional<Refusal> attempt(List<Claim> claims) {
    Instant now = clock.instant();
    jdbc.sql(
            "DELETE FROM sign_in_throttle WHERE window_started_at < :start AND refused_until <= :now")
        .param("start", at(now.minus(WINDOW)))
        .param("now", at(now))
        .update();
    if (claims.stream().allMatch(claim -> claim(claim, now))) {
      return Optional.empty();
    }
    Optional<Refusal> refusal = refusal(claims, now);
    TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
    return refusal;
  }

  /** Why an attempt would be refused now, without counting it. */
  @Transactional(readOnly = true)
  Optional<Refusal> refusal(List<Claim> claims) {
    return refusal(claims, clock.instant());
  }

  /** Counts a failure found afterwards (unless one is refused now, which counted already). */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  void count(List<Claim> claims) {
    Instant now = clock.instant();
    claims.forEach(claim -> claim(claim, now));
  }

  /**
   * Takes back an attempt that turned out not to be a guess: a count of a user name is cleared, a
   * client's count loses this attempt.
   */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  void succeeded(List<Claim> claims) {
    takeBack(claims);
  }

  /** Clears the account's count, and takes back the address's count of this attempt. */
  @EventListener
  @Transactional
  void on(AuthenticationSuccessEvent event) {
    Authentication signedIn = event.getAuthentication();
    List<Claim> claims = new ArrayList<>(List.of(new Claim(Subject.ACCOUNT, signedIn.getName())));
    if (signedIn.getDetails() instanceof WebAuthenticationDetails details
        && details.getRemoteAddress() != null) {
      claims.add(new Claim(Subject.ADDRESS, details.getRemoteAddress()));
    }
    takeBack(claims);
  }

  /**
   * Says that an attempt was refused: logged, and published for the audit log with the account's
   * tenant where the name is one.
   */
  void announce(AccessRefused.Endpoint endpoint, String who, String address, Refusal refused) {
    log.warn(
        "Refused {} for '{}' from {}: {} {} for {}",
        endpoint.name().toLowerCase(Locale.ROOT).replace('_', ' '),
        printable(who),
        address,
        refused.subject().name().toLowerCase(Locale.ROOT),
        refused.locked() ? "locked" : "delayed",
        refused.remaining());
    events.publishEvent(
        new AccessRefused(
            endpoint,
            printable(who),
            tenantOf(endpoint, who),
            address,
            (refused.locked() ? "locked" : "delayed")
                + " for "
                + Math.max(1, Math.ceilDiv(refused.remaining().toMillis(), 1000))
                + (endpoint == AccessRefused.Endpoint.PASSWORD_RESET
                    ? " s after too many resets"
                    : " s after too many failures")));
  }

  /**
   * The tenant of the account {@code who} names; null for platform admins, unknown names and nodes.
   */
  @Nullable UUID tenantOf(AccessRefused.Endpoint endpoint, String who) {
    return endpoint == AccessRefused.Endpoint.NODE_ENROLMENT
        ? null
        : users.findByUsernameIgnoreCase(who).map(AppUser::getTenantId).orElse(null);
  }

  private void takeBack(List<Claim> claims) {
    for (Claim claim : claims) {
      if (claim.subject().perClient) {
        jdbc.sql(
                "UPDATE sign_in_throttle SET failures = GREATEST(failures - 1, 0)"
                    + " WHERE subject = :subject")
            .param("subject", claim.key())
            .update();
      } else {
        jdbc.sql("DELETE FROM sign_in_throttle WHERE subject = :subject")
            .param("subject", claim.key())
            .update();
      }
    }
  }

  @EventListener
  void on(AuthenticationFailureBadCredentialsEvent event) {
    Authentication attempt = event.getAuthentication();
    if (!(attempt.getDetails() instanceof WebAuthenticationDetails details)) {
      return;
    }
    String username = attempt.getName();
    String address = Objects.requireNonNullElse(details.getRemoteAddress(), "");
    int accountFailures = failures(Subject.ACCOUNT, username);
    int addressFailures = failures(Subject.ADDRESS, address);
    events.publishEvent(
        new AccessRefused(
            AccessRefused.Endpoint.SIGN_IN,
            printable(username),
            tenantOf(AccessRefused.Endpoint.SIGN_IN, username),
            address,
            "wrong user name or password"));
    log.warn(
        "Failed sign-in for user '{}' from {} ({} failures for the account, {} from the address)",
        printable(username),
        address,
        accountFailures,
        addressFailures);
    if (accountFailures == Subject.ACCOUNT.lockAt) {
      log.warn(
          "Sign-in locked for {} for user '{}' after {} failures, the last from {}",
          LOCK,
          printable(username),
          accountFailures,
          address);
    }
    if (addressFailures == Subject.ADDRESS.lockAt) {
      log.warn(
          "Sign-in locked for {} from address {} after {} failures, the last for user '{}'",
          LOCK,
          address,
          addressFailures,
          printable(username));
    }
  }

  /**
   * Counts an attempt unless one is refused now (a new window once the last one and its refusal are
   * over), and sets how long the next is refused should this one fail.
   */
  private boolean claim(Claim claim, Instant now) {
    Subject subject = claim.subject();
    String key = claim.key();
    Optional<Integer> failures =
        jdbc.sql(
                """
                INSERT INTO sign_in_throttle AS t (subject, failures, window_started_at, refused_until)
                VALUES (:subject, 1, :now, :now)
                ON CONFLICT (subject) DO UPDATE SET
                  failures = CASE WHEN t.window_started_at < :start THEN 1 ELSE t.failures + 1 END,
                  window_started_at = CASE WHEN t.window_started_at < :start
                                           THEN :now ELSE t.window_started_at END
                WHERE t.refused_until <= :now
                RETURNING failures
                """)
            .param("subject", key)
            .param("now", at(now))
            .param("start", at(now.minus(WINDOW)))
            .query(Integer.class)
            .optional();
    // No refusal is "refused until the beginning of time", not "until now": a clock that is set
    // back (tests, a corrected host clock) must not turn a count into a refusal.
    failures.ifPresent(
        count ->
            jdbc.sql(
                    "UPDATE sign_in_throttle SET refused_until = CASE WHEN :delayed THEN :until"
                        + " ELSE '-infinity'::timestamptz END WHERE subject = :subject")
                .param("delayed", subject.refusalAfter(count).isPositive())
                .param("until", at(now.plus(subject.refusalAfter(count))))
                .param("subject", key)
                .update());
    return failures.isPresent();
  }

  /** A lock before a delay, the account's before the address's, the longer delay first. */
  private Optional<Refusal> refusal(List<Claim> claims, Instant now) {
    return jdbc
        .sql(
            """
            SELECT subject, failures, refused_until FROM sign_in_throttle
            WHERE subject IN (:keys) AND refused_until > :now
            """)
        .param("keys", claims.stream().map(Claim::key).toList())
        .param("now", at(now))
        .query(
            (row, n) -> {
              Subject subject = Subject.ofKey(row.getString("subject"));
              return new Refusal(
                  subject,
                  row.getInt("failures") >= subject.lockAt,
                  Duration.between(
                      now, row.getObject("refused_until", OffsetDateTime.class).toInstant()));
            })
        .list()
        .stream()
        .min(
            Comparator.comparing((Refusal r) -> !r.locked())
                .thenComparing(Refusal::subject)
                .thenComparing(Refusal::remaining, Comparator.reverseOrder()));
  }

  private int failures(Subject subject, String value) {
    return jdbc.sql("SELECT failures FROM sign_in_throttle WHERE subject = :subject")
        .param("subject", subject.key(value))
        .query(Integer.class)
        .optional()
        .orElse(0);
  }

  /** A user name as typed, kept from forging log lines. */
  static String printable(String username) {
    String shown = username.length() > 100 ? username.substring(0, 100) + "…" : username;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
