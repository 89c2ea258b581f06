package dev.tuneforge.app.account.ui;

import com.vaadin.flow.component.html.Anchor;
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
import dev.tuneforge.app.account.SignInOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-in with a local account, and through the single sign-on provider where one is configured:
 * its link when it answers, a note that it does not (local accounts still sign in), and why an SSO
 * sign-in was refused.
 */
@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · Tuneforge")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {
  private final LoginForm form = new LoginForm();

  private final Paragraph ssoNote = new Paragraph();

  public LoginView(SignInOptions options) {
    setSizeFull();
    setAlignItems(Alignment.CENTER);
    setJustifyContentMode(JustifyContentMode.CENTER);
    form.setAction("login");
    form.setForgotPasswordButtonVisible(false);
    add(new H1("Tuneforge"), new Paragraph("Fine-tune small language models for extraction."));
    options
        .ssoProvider()
        .ifPresent(
            provider -> {
              if (options.ssoReachable()) {
                Anchor sso = new Anchor(SignInOptions.SSO_START, "Sign in with " + provider);
                sso.setId("sso-sign-in");
                sso.setRouterIgnore(true);
                sso.getElement().setAttribute("theme", "primary");
                add(sso);
              } else {
                Paragraph down =
                    new Paragraph(
                        provider
                            + " (single sign-on) does not answer right now; accounts of this"
                            + " platform can still sign in below.");
                down.setId("sso-unavailable");
                add(down);
              }
            });
    ssoNote.setId("sso-refused");
    ssoNote.setVisible(false);
    add(ssoNote, form);
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
    query.getOrDefault("sso", List.of()).stream()
        .findFirst()
        .ifPresent(
            code -> {
              ssoNote.setText(ssoRefusal(code));
              ssoNote.setVisible(true);
            });
  }

  /** What the page says for a refused single sign-on ({@code login?sso=CODE}). */
  static String ssoRefusal(String code) {
    return switch (code) {
      case "no-tenant" ->
          "Single sign-on worked, but your account is in no group that a team here signs in"
              + " with. Ask your administrator to add you to your team's group.";
      case "no-role" ->
          "Single sign-on worked, but your account has no Tuneforge role (member or tenant"
              + " admin). Ask your administrator for one.";
      case "disabled" -> "Your account here is disabled. Ask your team's admin.";
      case "name-taken" -> "Your user name is taken by another account here. Ask a platform admin.";
      case "invalid-token" ->
          "The sign-in provider's answer could not be verified (not signed by the provider,"
              + " expired, or meant for another application), so you are not signed in. Try"
              + " again; if it happens again, tell your administrator.";
      default -> "Single sign-on did not complete. Try again.";
    };
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
