package dev.tuneforge.app.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Part URLs handed to browsers are signed for the public endpoint when one is set (nodes keep the
 * internal one), carry the upload id and part number, and exist only for the caller's own keys.
 * Signing needs no storage server.
 */
class MultipartStorageTest {
  private static final UUID TENANT = UUID.randomUUID();

  @Test
  void browserPartUrlsAreSignedForThePublicEndpoint() {
    StorageProperties properties = properties("https://s3.tuneforge.example.com");
    ObjectStorage storage = new ObjectStorage(properties);
    MultipartStorage multipart = new MultipartStorage(storage, properties);
    String key = ObjectKeys.stagedUpload(TENANT, UUID.randomUUID(), "receipts.jsonl");

    String url =
        TenantContext.callAs(
            TENANT, () -> multipart.tenantPresignPart(key, "upload-1", 3, Duration.ofMinutes(5)));
    assertThat(url)
        .startsWith("https://s3.tuneforge.example.com/tuneforge/" + key + "?")
        .contains("uploadId=upload-1")
        .contains("partNumber=3")
        .contains("X-Amz-Signature=");
    assertThat(storage.presignGet(key, Duration.ofMinutes(5)))
        .as("node URLs keep the internal endpoint")
        .startsWith("http://minio.internal:9000/");
  }

  @Test
  void withoutAPublicEndpointBrowsersGetTheInternalOne() {
    StorageProperties properties = properties(null);
    MultipartStorage multipart = new MultipartStorage(new ObjectStorage(properties), properties);
    String key = ObjectKeys.stagedUpload(TENANT, UUID.randomUUID(), "receipts.jsonl");
    assertThat(
            TenantContext.callAs(
                TENANT, () -> multipart.tenantPresignPart(key, "u", 1, Duration.ofMinutes(5))))
        .startsWith("http://minio.internal:9000/");
  }

  @Test
  void anotherTenantsKeyOrAPartOutOfRangeIsRefused() {
    StorageProperties properties = properties(null);
    MultipartStorage multipart = new MultipartStorage(new ObjectStorage(properties), properties);
    String theirs = ObjectKeys.stagedUpload(UUID.randomUUID(), UUID.randomUUID(), "x.jsonl");
    assertThatThrownBy(
            () ->
                TenantContext.callAs(
                    TENANT,
                    () -> multipart.tenantPresignPart(theirs, "u", 1, Duration.ofMinutes(5))))
        .isInstanceOf(SecurityException.class);
    String mine = ObjectKeys.stagedUpload(TENANT, UUID.randomUUID(), "x.jsonl");
    assertThatThrownBy(
            () ->
                TenantContext.callAs(
                    TENANT,
                    () -> multipart.tenantPresignPart(mine, "u", 10_001, Duration.ofMinutes(5))))
        .hasMessage("A part number lies between 1 and 10000, not 10001");
  }

  private static StorageProperties properties(String publicEndpoint) {
    return new StorageProperties(
        "http://minio.internal:9000", "key", "secret", "tuneforge", "us-east-1", publicEndpoint);
  }
}
