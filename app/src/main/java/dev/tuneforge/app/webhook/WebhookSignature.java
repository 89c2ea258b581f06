package dev.tuneforge.app.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How deliveries are signed, Stripe's way: the header {@value #HEADER} is {@code t=<unix
 * seconds>,v1=<hex>}, where the hex is HMAC-SHA256, keyed with the endpoint's whole secret (its
 * UTF-8 bytes, {@code whsec_…} included), of the timestamp, a dot and the raw body. A receiver
 * recomputes it over the body exactly as received, compares in constant time and refuses timestamps
 * older than a few minutes.
 */
public final class WebhookSignature {
  public static final String HEADER = "Tuneforge-Signature";
  public static final String SECRET_PREFIX = "whsec_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSignature() {}

  /** A new secret: {@value #SECRET_PREFIX} and 32 random bytes, base64url. */
  static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The {@value #HEADER} value for {@code body} sent at {@code unixSeconds}. */
  static String header(String secret, long unixSeconds, String body) {
    return "t=" + unixSeconds + ",v1=" + hmac(secret, unixSeconds + "." + body);
  }

  static String hmac(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
