package dev.tuneforge.app.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Part URLs handed to browsers are signed for the public endpoint when one is set (nodes keep the
 * internal one), carry the upload id and part number, are signed for the part's exact length and
 * last minutes, and exist only for the caller's own keys and the parts the declared size implies.
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
            TENANT,
            () ->
                multipart.tenantPresignPart(
                    key, "upload-1", 2_500, 1_000, 3, Duration.ofMinutes(5)));
    assertThat(url)
        .startsWith("https://s3.tuneforge.example.com/tuneforge/" + key + "?")
        .contains("uploadId=upload-1")
        .contains("partNumber=3")
        .contains("X-Amz-Expires=300")
        .contains("X-Amz-SignedHeaders=content-length%3Bhost")
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
                TENANT,
                () -> multipart.tenantPresignPart(key, "u", 10, 10, 1, Duration.ofMinutes(5))))
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
                    () ->
                        multipart.tenantPresignPart(theirs, "u", 10, 10, 1, Duration.ofMinutes(5))))
        .isInstanceOf(SecurityException.class);
    String mine = ObjectKeys.stagedUpload(TENANT, UUID.randomUUID(), "x.jsonl");
    assertThatThrownBy(
            () ->
                TenantContext.callAs(
                    TENANT,
                    () ->
                        multipart.tenantPresignPart(
                            mine, "u", 3_000, 1_000, 4, Duration.ofMinutes(5))))
        .hasMessage("The upload has parts 1 to 3, not 4");
  }

  @Test
  void everyPartButTheLastIsFull() {
    assertThat(MultipartStorage.partLength(2_500, 1_000, 1)).isEqualTo(1_000);
    assertThat(MultipartStorage.partLength(2_500, 1_000, 3)).isEqualTo(500);
    assertThat(MultipartStorage.partLength(3_000, 1_000, 3)).isEqualTo(1_000);
    assertThatThrownBy(() -> MultipartStorage.partLength(2_500, 1_000, 0))
        .hasMessage("The upload has parts 1 to 3, not 0");
  }

  private static StorageProperties properties(String publicEndpoint) {
    return new StorageProperties(
        "http://minio.internal:9000", "key", "secret", "tuneforge", "us-east-1", publicEndpoint);
  }
}
