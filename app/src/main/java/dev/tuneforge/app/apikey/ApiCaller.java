package dev.tuneforge.app.apikey;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import java.util.UUID;
import org.springframework.security.access.AccessDeniedException;

/**
 * Who calls the native API, for calls about a team's own work (fine-tunes, evaluations, downloads,
 * usage): the pages of that work are for a team's members and admins, so a key without a team (a
 * platform admin's) answers 403.
 */
public final class ApiCaller {
  private ApiCaller() {}

  /**
   * The caller's team.
   *
   * @throws AccessDeniedException when the key's user belongs to no team
   */
  public static UUID requireTeam() {
    SignedInUser caller = CurrentUser.require();
    if (caller.tenantId() == null || caller.role() == Role.PLATFORM_ADMIN) {
      throw new AccessDeniedException(
          "This call is about a team's own work: use a key of one of its members or admins");
    }
    return caller.tenantId();
  }
}
