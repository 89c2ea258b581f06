package dev.tuneforge.app.apikey;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.SignedInUser;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Gives the bootstrap platform admin the configured key ({@code TUNEFORGE_BOOTSTRAP_ADMIN_API_KEY})
 * at start-up, once: a restart with the same key changes nothing, and a revoked one stays revoked.
 * Runs after the admin is seeded.
 */
@Component
class ApiKeyBootstrap {
  static final String KEY_NAME = "bootstrap";
  private static final Logger log = LoggerFactory.getLogger(ApiKeyBootstrap.class);

  private final ApiKeys keys;
  private final AccountService accounts;
  private final String username;
  private final String key;

  ApiKeyBootstrap(
      ApiKeys keys,
      AccountService accounts,
      @Value("${tuneforge.bootstrap.admin-username:admin}") String username,
      @Value("${tuneforge.bootstrap.admin-api-key:}") String key) {
    if (!key.isBlank() && !KeyText.wellFormed(key.strip())) {
      throw new IllegalArgumentException(
          "tuneforge.bootstrap.admin-api-key (TUNEFORGE_BOOTSTRAP_ADMIN_API_KEY) is tf_ followed by"
              + " 32 to 100 letters and digits");
    }
    this.keys = keys;
    this.accounts = accounts;
    this.username = username;
    this.key = key.strip();
  }

  @EventListener(ApplicationReadyEvent.class)
  @Order(Ordered.LOWEST_PRECEDENCE)
  void seed() {
    if (key.isEmpty()) {
      return;
    }
    Optional<SignedInUser> admin = accounts.platformAdmin(username);
    if (admin.isEmpty()) {
      log.warn(
          "The bootstrap API key is for the platform admin '{}', and there is none: not given",
          username);
      return;
    }
    if (keys.adopt(admin.get(), KEY_NAME, key)) {
      log.info("Gave the platform admin '{}' the configured API key", username);
    }
  }
}
