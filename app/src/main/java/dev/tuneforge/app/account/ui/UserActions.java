package dev.tuneforge.app.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import dev.tuneforge.app.account.AppUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.UserLifecycleService;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What an admin does to the user selected in the users table: disable or enable, delete, change the
 * role, reset the password. Each takes effect on that user's next request.
 */
final class UserActions extends HorizontalLayout {
  private final UserLifecycleService lifecycle;
  private final Supplier<@Nullable AppUser> selected;
  private final Runnable refresh;

  UserActions(
      UserLifecycleService lifecycle,
      Supplier<@Nullable AppUser> selected,
      Runnable refresh,
      boolean platformAdmin) {
    this.lifecycle = lifecycle;
    this.selected = selected;
    this.refresh = refresh;
    Button disable =
        button(
            "Disable",
            "user-disable",
            user -> done(lifecycle.setEnabled(user.getId(), false), "Disabled"));
    Button enable =
        button(
            "Enable",
            "user-enable",
            user -> done(lifecycle.setEnabled(user.getId(), true), "Enabled"));
    Button delete =
        button(
            "Delete",
            "user-delete",
            user -> {
              lifecycle.delete(user.getId());
              notice("Deleted " + user.getUsername() + "; their datasets and jobs stay");
            });
    delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
    Select<Role> role = new Select<>();
    role.setLabel("New role");
    role.setId("user-new-role");
    role.setItems(assignableRoles(platformAdmin));
    role.setValue(Role.MEMBER);
    Button changeRole =
        button(
            "Change role",
            "user-change-role",
            user ->
                done(lifecycle.changeRole(user.getId(), role.getValue()), "Changed the role of"));
    PasswordField password = new PasswordField("New password");
    password.setId("user-new-password");
    Button reset =
        button(
            "Reset password",
            "user-reset-password",
            user -> {
              lifecycle.resetPassword(user.getId(), password.getValue());
              password.clear();
              notice("Reset the password of " + user.getUsername());
            });
    add(disable, enable, delete, role, changeRole, password, reset);
    setAlignItems(Alignment.BASELINE);
    setWrap(true);
  }

  /** The roles the admin may give: platform admins any, tenant admins those of their tenant. */
  static List<Role> assignableRoles(boolean platformAdmin) {
    return platformAdmin
        ? List.of(Role.MEMBER, Role.TENANT_ADMIN, Role.PLATFORM_ADMIN)
        : List.of(Role.MEMBER, Role.TENANT_ADMIN);
  }

  private Button button(String text, String id, Consumer<AppUser> action) {
    Button button =
        new Button(
            text,
            e -> {
              AppUser user = selected.get();
              if (user == null) {
                error("Select a user in the table first");
                return;
              }
              try {
                action.accept(user);
                refresh.run();
              } catch (IllegalArgumentException
                  | org.springframework.security.access.AccessDeniedException failed) {
                error(failed.getMessage());
              }
            });
    button.setId(id);
    return button;
  }

  private static void done(AppUser user, String what) {
    notice(what + " " + user.getUsername());
  }

  private static void notice(String text) {
    Notification.show(text).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
  }

  private static void error(String text) {
    Notification.show(text, 5000, Notification.Position.MIDDLE)
        .addThemeVariants(NotificationVariant.LUMO_ERROR);
  }
}
