package dev.tuneforge.app.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where objects live. {@code endpoint} must be reachable by training nodes too: presigned URLs
 * are signed for it.
 */
@ConfigurationProperties("tuneforge.storage")
public record StorageProperties(
    String endpoint, String accessKey, String secretKey, String bucket, String region) {}
