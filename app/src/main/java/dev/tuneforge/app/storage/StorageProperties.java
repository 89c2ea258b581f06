package dev.tuneforge.app.storage;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where objects live. {@code endpoint} must be reachable by training nodes too: presigned URLs are
 * signed for it. {@code publicEndpoint}, when set, is the address browsers reach the same storage
 * at (behind a proxy or another host name); only URLs handed to browsers are signed for it.
 */
@ConfigurationProperties("tuneforge.storage")
public record StorageProperties(
    String endpoint,
    String accessKey,
    String secretKey,
    String bucket,
    String region,
    @Nullable String publicEndpoint) {

  /** The endpoint browser-facing presigned URLs are signed for. */
  String browserEndpoint() {
    return publicEndpoint == null || publicEndpoint.isBlank() ? endpoint : publicEndpoint;
  }
}
