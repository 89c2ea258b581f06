package dev.tuneforge.app.webhook;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface WebhookEndpointRepository extends JpaRepository<WebhookEndpoint, UUID> {
  List<WebhookEndpoint> findAllByOrderByCreatedAt();
}
