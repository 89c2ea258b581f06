package dev.tuneforge.app.account.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.tuneforge.app.account.UserLifecycleService;
import jakarta.annotation.security.PermitAll;

/** A signed-in user changes their own password. */
@Route("account/password")
@PageTitle("Change password · Tuneforge")
@Menu(order = 90, title = "Change password")
@PermitAll
public class PasswordView extends VerticalLayout {
  public PasswordView(UserLifecycleService lifecycle) {
    PasswordField current = new PasswordField("Current password");
    current.setId("current-password");
    PasswordField next = new PasswordField("New password");
    next.setId("new-password");
    next.setHelperText("At least 12 characters, not your user name, not a common password");
    Button change =
        new Button(
            "Change password",
            e -> {
              try {
                lifecycle.changeOwnPassword(current.getValue(), next.getValue());
                current.clear();
                next.clear();
                Notification.show("Your password is changed")
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
              } catch (IllegalArgumentException failed) {
                Notification.show(failed.getMessage(), 5000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
              }
            });
    change.setId("change-password");
    change.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    add(
        new H2("Change password"),
        new Paragraph("Accounts that sign in through single sign-on change it there."),
        current,
        next,
        change);
  }
}
