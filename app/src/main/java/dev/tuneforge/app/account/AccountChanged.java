package dev.tuneforge.app.account;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An account was created or changed, by an admin or (a password change) its own user. */
public record AccountChanged(
    @Nullable UUID tenantId, UUID userId, String username, Change change, String detail) {

  /** What changed. */
  public enum Change {
    CREATED,
    ENABLED,
    DISABLED,
    DELETED,
    ROLE,
    PASSWORD_RESET,
    PASSWORD_CHANGED
  }
}
