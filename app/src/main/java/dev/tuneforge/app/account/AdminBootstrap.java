package dev.tuneforge.app.account;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Seeds the first platform admin on an empty database, with the configured password or a random one
 * that is logged once.
 */
@Component
class AdminBootstrap {
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private final AccountService accounts;
  private final String username;
  private final String password;

  AdminBootstrap(
      AccountService accounts,
      @Value("${tuneforge.bootstrap.admin-username:admin}") String username,
      @Value("${tuneforge.bootstrap.admin-password:}") String password) {
    this.accounts = accounts;
    this.username = username;
    this.password = password;
  }

  /** First among start-up work: the bootstrap API key is given to this admin. */
  @EventListener(ApplicationReadyEvent.class)
  @Order(Ordered.HIGHEST_PRECEDENCE)
  void seed() {
    boolean generated = password.isBlank();
    String chosen = generated ? randomPassword() : password;
    if (accounts.createFirstPlatformAdmin(username, chosen)) {
      log.info(
          "Created the first platform admin '{}'{}",
          username,
          generated ? " with password " + chosen : " with the configured password");
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[9];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
