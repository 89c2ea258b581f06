package dev.tuneforge.app.account;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;

/**
 * The provider's client registration, read from its discovery document when first needed rather
 * than at start-up, so that the app starts (and local accounts sign in) while the provider is down.
 * {@link #reachable()} answers the sign-in page's question whether to offer SSO, from a probe at
 * most every few seconds.
 */
final class SsoClientRegistrations implements ClientRegistrationRepository {
  private static final Logger log = LoggerFactory.getLogger(SsoClientRegistrations.class);
  private static final Duration PROBE_EVERY = Duration.ofSeconds(3);

  private final SsoProperties properties;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile @Nullable ClientRegistration registration;
  private volatile long probedAt;
  private volatile boolean reachable;

  SsoClientRegistrations(SsoProperties properties) {
    this.properties = properties;
    this.probedAt = System.nanoTime() - PROBE_EVERY.toNanos() - 1;
  }

  @Override
  public @Nullable ClientRegistration findByRegistrationId(String registrationId) {
    if (!SsoProperties.REGISTRATION_ID.equals(registrationId)) {
      return null;
    }
    ClientRegistration known = registration;
    if (known != null) {
      return known;
    }
    try {
      ClientRegistration loaded =
          ClientRegistrations.fromIssuerLocation(properties.issuerUri())
              .registrationId(SsoProperties.REGISTRATION_ID)
              .clientName(properties.providerName())
              .clientId(properties.clientId())
              .clientSecret(properties.clientSecret())
              .scope("openid", "profile", "email")
              .build();
      registration = loaded;
      return loaded;
    } catch (RuntimeException e) {
      log.warn("The SSO provider {} did not answer: {}", properties.issuerUri(), e.toString());
      return null;
    }
  }

  /** Whether the provider's discovery document answered within five seconds, recently. */
  boolean reachable() {
    long now = System.nanoTime();
    if (now - probedAt < PROBE_EVERY.toNanos()) {
      return reachable;
    }
    boolean answered;
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create(discoveryUri()))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      answered = response.statusCode() == 200;
    } catch (java.io.IOException | IllegalArgumentException e) {
      answered = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answered = false;
    }
    reachable = answered;
    probedAt = now;
    return answered;
  }

  private String discoveryUri() {
    String issuer = properties.issuerUri();
    return (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
        + "/.well-known/openid-configuration";
  }
}
