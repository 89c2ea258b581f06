package dev.tuneforge.app.account;

import dev.tuneforge.app.account.AccessRefused.Endpoint;
import dev.tuneforge.app.account.SignInThrottle.Claim;
import dev.tuneforge.app.account.SignInThrottle.Refusal;
import dev.tuneforge.app.account.SignInThrottle.Subject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * The sign-in form's brute-force protection for other endpoints that check a secret: the password
 * change (per account and per client, the client's count shared with sign-in), the node enrolment
 * (per client), and admins' password resets (per admin; each reset counts, none is taken back). An
 * attempt is counted before its secret is checked and taken back once it turns out not to be a
 * guess; refusals and failures are published as {@link AccessRefused}.
 */
@Service
public class ClientThrottle {
  private final SignInThrottle throttle;
  private final ApplicationEventPublisher events;

  ClientThrottle(SignInThrottle throttle, ApplicationEventPublisher events) {
    this.throttle = throttle;
    this.events = events;
  }

  /** An attempt refused before its secret was looked at, and for how much longer. */
  public record Refused(boolean locked, Duration remaining) {
    /** Whole seconds to wait, at least one (for {@code Retry-After}). */
    public long seconds() {
      return Math.max(1, Math.ceilDiv(remaining.toMillis(), 1000));
    }

    public String message() {
      return locked
          ? "Too many failed attempts; try again in "
              + Math.max(1, Math.ceilDiv(remaining.toMillis(), 60_000))
              + " minutes"
          : "Too many failed attempts; try again in " + seconds() + " s";
    }
  }

  /**
   * Counts an attempt of {@code who} (a user name; ignored for the enrolment) from {@code address}
   * in advance, or says why it is refused now.
   */
  public Optional<Refused> attempt(Endpoint endpoint, String who, String address) {
    List<Claim> claims = claims(endpoint, who, address);
    Optional<Refusal> refusal =
        countedInAdvance(endpoint) ? throttle.attempt(claims) : throttle.refusal(claims);
    refusal.ifPresent(refused -> throttle.announce(endpoint, who, address, refused));
    return refusal.map(refused -> new Refused(refused.locked(), refused.remaining()));
  }

  /** The attempt was no guess (it succeeded, or failed for another reason): takes it back. */
  public void succeeded(Endpoint endpoint, String who, String address) {
    if (countedInAdvance(endpoint)) {
      throttle.succeeded(claims(endpoint, who, address));
    }
  }

  /** The attempt's secret was wrong: it stays counted, and is published. */
  public void failed(Endpoint endpoint, String who, String address, String reason) {
    if (!countedInAdvance(endpoint)) {
      throttle.count(claims(endpoint, who, address));
    }
    events.publishEvent(
        new AccessRefused(
            endpoint,
            SignInThrottle.printable(who),
            throttle.tenantOf(endpoint, who),
            address,
            reason));
  }

  /**
   * Password guesses are counted before they are checked, so that parallel guesses each see the
   * ones before them. An enrolment is counted once its token is found unknown: a fleet of nodes
   * enrolling at once from one address, or retrying a used token, is no guess; a token is 256
   * random bits, so guesses checked in parallel gain nothing.
   */
  private static boolean countedInAdvance(Endpoint endpoint) {
    return endpoint != Endpoint.NODE_ENROLMENT;
  }

  private static List<Claim> claims(Endpoint endpoint, String who, String address) {
    return switch (endpoint) {
      case SIGN_IN, SSO_SIGN_IN ->
          List.of(new Claim(Subject.ACCOUNT, who), new Claim(Subject.ADDRESS, address));
      case PASSWORD_CHANGE ->
          List.of(new Claim(Subject.PASSWORD, who), new Claim(Subject.ADDRESS, address));
      case PASSWORD_RESET -> List.of(new Claim(Subject.RESET, who));
      case NODE_ENROLMENT -> List.of(new Claim(Subject.ENROLMENT, address));
    };
  }
}
