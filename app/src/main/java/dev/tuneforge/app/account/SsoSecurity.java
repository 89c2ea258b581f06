package dev.tuneforge.app.account;

import com.vaadin.flow.spring.security.UidlRedirectStrategy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;
import org.springframework.security.web.authentication.logout.SimpleUrlLogoutSuccessHandler;
import org.springframework.stereotype.Component;

/**
 * Single sign-on in the browser chain, when {@code tuneforge.identity.oidc} is enabled: OAuth2
 * login (authorization code with PKCE) beside the local form, RP-initiated logout (out of the app
 * and the provider), and back-channel logout ({@code /logout/connect/back-channel/sso}) that ends
 * the app's session when the provider ends the user's.
 */
@Component
@EnableConfigurationProperties(SsoProperties.class)
class SsoSecurity {
  static final String BACK_CHANNEL_PATH =
      "/logout/connect/back-channel/" + SsoProperties.REGISTRATION_ID;
  private static final Set<String> REFUSALS =
      Set.of("no-tenant", "no-role", "disabled", "name-taken");

  /**
   * Spring Security's errors for an ID token it could not trust: a bad signature, another issuer or
   * audience, expired, or a nonce of another sign-in.
   */
  private static final Set<String> UNTRUSTED_TOKEN = Set.of("invalid_id_token", "invalid_nonce");

  private static final String INVALID_TOKEN = "invalid-token";

  private final SsoProperties properties;
  private final SsoClientRegistrations registrations;
  private final SsoAccounts accounts;
  private final OidcUserService oidcUsers = new OidcUserService();
  private final OAuth2AuthorizedClientRepository authorizedClients =
      new HttpSessionOAuth2AuthorizedClientRepository();

  private final ApplicationEventPublisher events;

  SsoSecurity(SsoProperties properties, SsoAccounts accounts, ApplicationEventPublisher events) {
    this.properties = properties;
    this.registrations = new SsoClientRegistrations(properties);
    this.accounts = accounts;
    this.events = events;
  }

  boolean active() {
    return properties.active();
  }

  String providerName() {
    return properties.providerName();
  }

  /** Whether the provider answers now (false when SSO is off). */
  boolean reachable() {
    return active() && registrations.reachable();
  }

  SsoClientRegistrations registrations() {
    return registrations;
  }

  OAuth2AuthorizedClientRepository authorizedClients() {
    return authorizedClients;
  }

  SsoProperties properties() {
    return properties;
  }

  SsoAccounts accounts() {
    return accounts;
  }

  void configure(HttpSecurity http) throws Exception {
    if (!active()) {
      return;
    }
    DefaultOAuth2AuthorizationRequestResolver resolver =
        new DefaultOAuth2AuthorizationRequestResolver(registrations, "/oauth2/authorization");
    resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
    http.oauth2Login(
        login ->
            login
                // Our sign-in view, not Spring Security's generated page.
                .loginPage("/login")
                .clientRegistrationRepository(registrations)
                .authorizedClientRepository(authorizedClients)
                .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(resolver))
                .userInfoEndpoint(userInfo -> userInfo.oidcUserService(this::loadUser))
                .failureHandler(this::refused)
                .defaultSuccessUrl("/", true));
    http.oidcLogout(logout -> logout.backChannel(Customizer.withDefaults()));
  }

  private OidcUser loadUser(OidcUserRequest request) {
    OidcUser oidc = oidcUsers.loadUser(request);
    SignedInUser user =
        accounts.signIn(
            oidc.getIdToken().getIssuer().toString(), oidc.getSubject(), oidc.getClaims());
    return new SsoUser(user, oidc);
  }

  /** Logs SSO users out of the provider too; local users go back to the sign-in page. */
  LogoutSuccessHandler logoutSuccessHandler() {
    if (!active()) {
      SimpleUrlLogoutSuccessHandler local = new SimpleUrlLogoutSuccessHandler();
      local.setDefaultTargetUrl("/login");
      // Vaadin signs out inside a UI request: its redirect strategy turns that into a page change.
      local.setRedirectStrategy(new UidlRedirectStrategy());
      return local;
    }
    OidcClientInitiatedLogoutSuccessHandler handler =
        new OidcClientInitiatedLogoutSuccessHandler(registrations);
    handler.setPostLogoutRedirectUri("{baseUrl}/login");
    handler.setDefaultTargetUrl("/login");
    handler.setRedirectStrategy(new UidlRedirectStrategy());
    return handler;
  }

  private void refused(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    String code = "failed";
    if (e instanceof OAuth2AuthenticationException oauth) {
      String error = oauth.getError().getErrorCode();
      code =
          REFUSALS.contains(error) ? error : UNTRUSTED_TOKEN.contains(error) ? INVALID_TOKEN : code;
    }
    String who =
        e instanceof OAuth2AuthenticationException oauth
                && oauth.getError().getDescription() != null
            ? oauth.getError().getDescription()
            : "";
    events.publishEvent(
        new AccessRefused(
            AccessRefused.Endpoint.SSO_SIGN_IN,
            SignInThrottle.printable(who),
            null,
            Objects.requireNonNullElse(request.getRemoteAddr(), ""),
            code));
    response.sendRedirect(request.getContextPath() + "/login?sso=" + code);
  }
}
