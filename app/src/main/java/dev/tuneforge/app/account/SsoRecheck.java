package dev.tuneforge.app.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.RefreshTokenOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks the provider again who an SSO user is (its userinfo endpoint, with the session's access
 * token, refreshed when it has run out), at most once per {@code recheck-interval} per session. A
 * user the provider no longer knows, whose session there ended, or who left the tenant's group
 * loses the app's session; a changed role applies at once. While the provider does not answer the
 * session carries on with what the database says.
 */
final class SsoRecheck {
  private static final Logger log = LoggerFactory.getLogger(SsoRecheck.class);
  private static final String CHECKED_AT = SsoRecheck.class.getName() + ".checkedAt";
  private static final TypeReference<Map<String, Object>> CLAIMS = new TypeReference<>() {};

  private final SsoSecurity sso;
  private final RefreshTokenOAuth2AuthorizedClientProvider refresher =
      new RefreshTokenOAuth2AuthorizedClientProvider();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final JsonMapper json = JsonMapper.builder().build();

  SsoRecheck(SsoSecurity sso) {
    this.sso = sso;
    refresher.setClockSkew(Duration.ofSeconds(5));
  }

  /** The user as the provider sees them now; empty when their app session must end. */
  Optional<SignedInUser> recheck(
      SignedInUser stored,
      OAuth2AuthenticationToken token,
      SsoUser principal,
      HttpServletRequest request,
      HttpServletResponse response) {
    HttpSession session = request.getSession(false);
    long now = System.currentTimeMillis();
    if (session == null
        || session.getAttribute(CHECKED_AT) instanceof Long at
            && now - at < sso.properties().recheckInterval().toMillis()) {
      return Optional.of(stored);
    }
    OAuth2AuthorizedClient client =
        sso.authorizedClients().loadAuthorizedClient(SsoProperties.REGISTRATION_ID, token, request);
    if (client == null) {
      return Optional.empty();
    }
    try {
      OAuth2AuthorizedClient refreshed =
          refresher.authorize(
              OAuth2AuthorizationContext.withAuthorizedClient(client).principal(token).build());
      if (refreshed != null) {
        sso.authorizedClients().saveAuthorizedClient(refreshed, token, request, response);
        client = refreshed;
      }
    } catch (OAuth2AuthorizationException e) {
      if (!sso.reachable()) {
        return Optional.of(stored);
      }
      log.info("The SSO session of '{}' has ended at the provider", stored.username());
      return Optional.empty();
    }
    Map<String, Object> claims = userInfo(client.getClientRegistration(), client, stored);
    if (claims == null) {
      return Optional.of(stored);
    }
    session.setAttribute(CHECKED_AT, now);
    if (claims.isEmpty()) {
      return Optional.empty();
    }
    try {
      SignedInUser current =
          sso.accounts()
              .signIn(
                  principal.getIdToken().getIssuer().toString(), principal.getSubject(), claims);
      return current.userId().equals(stored.userId()) ? Optional.of(current) : Optional.empty();
    } catch (OAuth2AuthenticationException refused) {
      return Optional.empty();
    }
  }

  /** The provider's claims; empty when it refuses the token, null when it does not answer. */
  private @Nullable Map<String, Object> userInfo(
      ClientRegistration registration, OAuth2AuthorizedClient client, SignedInUser stored) {
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(registration.getProviderDetails().getUserInfoEndpoint().getUri()))
                  .timeout(Duration.ofSeconds(3))
                  .header("Authorization", "Bearer " + client.getAccessToken().getTokenValue())
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 401 || answer.statusCode() == 403) {
        log.info("The SSO provider no longer accepts the session of '{}'", stored.username());
        return Map.of();
      }
      if (answer.statusCode() != 200) {
        log.warn("The SSO provider answered {} to a userinfo request", answer.statusCode());
        return null;
      }
      return json.readValue(answer.body(), CLAIMS);
    } catch (IOException | JacksonException e) {
      log.warn("The SSO provider's userinfo did not answer: {}", e.toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
