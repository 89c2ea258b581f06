package dev.tuneforge.app.account.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sign-in with a local account. */
@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · Tuneforge")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {
  private final LoginForm form = new LoginForm();

  public LoginView() {
    setSizeFull();
    setAlignItems(Alignment.CENTER);
    setJustifyContentMode(JustifyContentMode.CENTER);
    form.setAction("login");
    form.setForgotPasswordButtonVisible(false);
    add(
        new H1("Tuneforge"),
        new Paragraph("Fine-tune small language models for extraction."),
        form);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    Map<String, List<String>> query = event.getLocation().getQueryParameters().getParameters();
    refusal(query)
        .ifPresentOrElse(
            message -> {
              LoginI18n i18n = LoginI18n.createDefault();
              i18n.getErrorMessage().setTitle("Sign-in refused for now");
              i18n.getErrorMessage().setMessage(message);
              form.setI18n(i18n);
              form.setError(true);
            },
            () -> form.setError(query.containsKey("error")));
  }

  /**
   * What the sign-in throttle's redirect says; the same whether or not the user name exists, since
   * unknown names are counted like known ones.
   */
  static Optional<String> refusal(Map<String, List<String>> query) {
    Optional<String> locked = number(query, "locked");
    if (locked.isPresent()) {
      return Optional.of(
          (query.containsKey("address")
                  ? "Too many failed sign-ins from your network address"
                  : "Too many failed sign-ins for this account")
              + "; try again in "
              + locked.get()
              + (locked.get().equals("1") ? " minute." : " minutes."));
    }
    return number(query, "wait")
        .map(seconds -> "Too many failed sign-ins; try again in " + seconds + " s.");
  }

  private static Optional<String> number(Map<String, List<String>> query, String name) {
    return query.getOrDefault(name, List.of()).stream()
        .filter(value -> value.matches("[0-9]{1,6}"))
        .findFirst();
  }
}
