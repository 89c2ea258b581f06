package dev.tuneforge.app.account;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An attempt at a guarded endpoint failed or was refused: a throttled sign-in, a sign-in through
 * single sign-on the app refused, a wrong current password, an unknown enrolment token, an admin's
 * password reset beyond the pace a person resets passwords at. {@code who} is the name as given (or
 * the node's); {@code tenantId} the account's tenant where it exists.
 */
public record AccessRefused(
    Endpoint endpoint, String who, @Nullable UUID tenantId, String address, String reason) {

  /** Where the attempt was made. */
  public enum Endpoint {
    SIGN_IN,
    SSO_SIGN_IN,
    PASSWORD_CHANGE,
    PASSWORD_RESET,
    NODE_ENROLMENT
  }
}
