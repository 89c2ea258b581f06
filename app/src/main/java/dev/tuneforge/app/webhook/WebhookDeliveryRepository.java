package dev.tuneforge.app.webhook;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface WebhookDeliveryRepository extends JpaRepository<WebhookDelivery, UUID> {
  List<WebhookDelivery> findByOrderByCreatedAtDesc(Limit limit);

  List<WebhookDelivery> findByEndpointIdOrderByCreatedAtDesc(UUID endpointId, Limit limit);
}
