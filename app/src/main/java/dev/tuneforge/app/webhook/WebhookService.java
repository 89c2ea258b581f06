package dev.tuneforge.app.webhook;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.outbound.OutboundRequests;
import dev.tuneforge.app.teacher.SecretCipher;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a tenant does with webhooks: its admins register, re-key and remove endpoints; its members
 * see them and their deliveries. Runs as the caller's tenant: another tenant's endpoints are not
 * found. A URL is checked against the outbound policy when it is saved, and again at each send.
 */
@Service
public class WebhookService {
  static final int LISTED_DELIVERIES = 100;

  private final WebhookEndpointRepository endpoints;
  private final WebhookDeliveryRepository deliveries;
  private final OutboundRequests outbound;
  private final SecretCipher cipher;
  private final TransactionTemplate transactions;
  private final Clock clock;

  WebhookService(
      WebhookEndpointRepository endpoints,
      WebhookDeliveryRepository deliveries,
      OutboundRequests outbound,
      SecretCipher cipher,
      TransactionTemplate transactions,
      Clock clock) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.outbound = outbound;
    this.cipher = cipher;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Registers an endpoint for the chosen events; its secret is in the answer and never shown again.
   *
   * @throws IllegalArgumentException naming what is wrong with the URL or the events
   * @throws AccessDeniedException unless the caller is an admin of the tenant
   */
  public Registered register(String url, Collection<WebhookEvent> events) {
    SignedInUser admin = requireAdmin();
    String checked = outbound.checkedUrl(url).toString();
    if (events.isEmpty()) {
      throw new IllegalArgumentException("Choose at least one event to send to " + checked);
    }
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    String secret = WebhookSignature.newSecret();
    WebhookEndpoint endpoint = new WebhookEndpoint(id, checked, events, admin.userId(), now);
    endpoint.secret(cipher.encrypt(secret, boundTo(id)), now);
    return new Registered(transactions.execute(status -> endpoints.save(endpoint)), secret);
  }

  /**
   * Gives the endpoint a new secret, effective for every delivery sent from now on (retries
   * included); the old one stops working at once.
   *
   * @throws IllegalArgumentException when the tenant has no such endpoint
   */
  public String rotateSecret(UUID endpointId) {
    requireAdmin();
    String secret = WebhookSignature.newSecret();
    transactions.executeWithoutResult(
        status -> {
          WebhookEndpoint endpoint = require(endpointId);
          endpoint.secret(cipher.encrypt(secret, boundTo(endpointId)), clock.instant());
          endpoints.save(endpoint);
        });
    return secret;
  }

  /** Removes the endpoint and its deliveries, pending ones included. */
  public void remove(UUID endpointId) {
    requireAdmin();
    transactions.executeWithoutResult(status -> endpoints.delete(require(endpointId)));
  }

  public List<WebhookEndpoint> endpoints() {
    return endpoints.findAllByOrderByCreatedAt();
  }

  public Optional<WebhookEndpoint> find(UUID endpointId) {
    return endpoints.findById(endpointId);
  }

  /** The tenant's latest deliveries, newest first. */
  public List<WebhookDelivery> deliveries() {
    return deliveries.findByOrderByCreatedAtDesc(Limit.of(LISTED_DELIVERIES));
  }

  /** The endpoint's latest deliveries, newest first; none for another tenant's endpoint. */
  public List<WebhookDelivery> deliveries(UUID endpointId) {
    return find(endpointId)
        .map(
            endpoint ->
                deliveries.findByEndpointIdOrderByCreatedAtDesc(
                    endpoint.getId(), Limit.of(LISTED_DELIVERIES)))
        .orElse(List.of());
  }

  /** Whether the signed-in user may register and change endpoints. */
  public static boolean mayManage() {
    return CurrentUser.get().map(user -> user.role() == Role.TENANT_ADMIN).orElse(false);
  }

  String secret(WebhookEndpoint endpoint) {
    return cipher.decrypt(endpoint.encryptedSecret(), boundTo(endpoint.getId()));
  }

  private WebhookEndpoint require(UUID endpointId) {
    return endpoints
        .findById(endpointId)
        .orElseThrow(() -> new IllegalArgumentException("No such webhook endpoint"));
  }

  private static SignedInUser requireAdmin() {
    SignedInUser user = CurrentUser.require();
    if (user.role() != Role.TENANT_ADMIN) {
      throw new AccessDeniedException("Only a tenant admin manages the tenant's webhooks");
    }
    return user;
  }

  private static String boundTo(UUID endpointId) {
    return "webhook_endpoint:" + endpointId;
  }

  /** A new endpoint with its secret, which is shown this once. */
  public record Registered(WebhookEndpoint endpoint, String secret) {}
}
