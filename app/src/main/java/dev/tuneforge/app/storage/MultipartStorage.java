package dev.tuneforge.app.storage;

import io.minio.AbortMultipartUploadArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListPartsArgs;
import io.minio.MinioAsyncClient;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.ListMultipartUploadsResult;
import io.minio.messages.ListPartsResult;
import io.minio.messages.Part;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * S3 multipart uploads that a browser fills: the app creates the upload, presigns each part's PUT
 * for the browser-facing endpoint, and completes it from the parts storage holds (so the browser
 * never reads ETags). A part URL is signed for that part's exact length, so storage refuses a body
 * of any other size and an upload never holds more than the size declared for it. Methods named
 * {@code tenant…} refuse keys outside the calling tenant's prefix.
 */
@Service
public class MultipartStorage {
  private final ObjectStorage storage;
  private final MinioAsyncClient client;
  private final UrlSigner browserSigner;
  private final String bucket;

  MultipartStorage(ObjectStorage storage, StorageProperties properties) {
    this.storage = storage;
    this.client =
        MinioAsyncClient.builder()
            .endpoint(properties.endpoint())
            .region(properties.region())
            .credentials(properties.accessKey(), properties.secretKey())
            .build();
    // Signed at storage's time, the system's, not at the app's clock (which tests move).
    this.browserSigner =
        new UrlSigner(
            properties.browserEndpoint(),
            properties.region(),
            properties.accessKey(),
            properties.secretKey(),
            Clock.systemUTC());
    this.bucket = properties.bucket();
  }

  /** A part storage holds for an unfinished upload. */
  public record UploadedPart(int number, long size) {}

  /**
   * A multipart upload nobody completed or aborted yet; {@code started} is null where storage does
   * not say.
   */
  public record IncompleteUpload(String key, String uploadId, @Nullable Instant started) {}

  /** How many parts of {@code partSize} bytes a file of {@code size} bytes takes (at least one). */
  public static int partCount(long size, long partSize) {
    return (int) Math.max(1, (size + partSize - 1) / partSize);
  }

  /** Starts a multipart upload of the calling tenant's {@code key}; returns its upload id. */
  public String tenantCreate(String key) {
    ObjectStorage.requireTenantKey(key);
    return create(key);
  }

  /** Starts a multipart upload of any key (the caller has checked it); returns its upload id. */
  public String create(String key) {
    storage.ensureBucket();
    return call(
            "start an upload of " + key,
            client.createMultipartUpload(
                CreateMultipartUploadArgs.builder().bucket(bucket).object(key).build()))
        .result()
        .uploadId();
  }

  /**
   * The length of part {@code partNumber} of a file of {@code size} bytes sent in parts of {@code
   * partSize}: every part but the last is full.
   *
   * @throws IllegalArgumentException for a part number the file does not have
   */
  public static long partLength(long size, long partSize, int partNumber) {
    int count = partCount(size, partSize);
    if (partNumber < 1 || partNumber > count) {
      throw new IllegalArgumentException(
          "The upload has parts 1 to " + count + ", not " + partNumber);
    }
    return partNumber < count ? partSize : size - (count - 1) * partSize;
  }

  /**
   * A URL the browser PUTs part {@code partNumber} of a file of {@code size} bytes to, accepted by
   * storage only with that part's exact length and only for {@code validFor}.
   */
  public String tenantPresignPart(
      String key, String uploadId, long size, long partSize, int partNumber, Duration validFor) {
    ObjectStorage.requireTenantKey(key);
    return presignPart(key, uploadId, size, partSize, partNumber, validFor);
  }

  /** A part URL for any key's upload (the caller has checked the key). */
  public String presignPart(
      String key, String uploadId, long size, long partSize, int partNumber, Duration validFor) {
    long length = partLength(size, partSize, partNumber);
    return browserSigner.presign(
        "PUT",
        bucket,
        key,
        Map.of("uploadId", uploadId, "partNumber", Integer.toString(partNumber)),
        Map.of("content-length", Long.toString(length)),
        validFor);
  }

  /** The parts storage holds for the calling tenant's upload, in part order. */
  public List<UploadedPart> tenantListParts(String key, String uploadId) {
    ObjectStorage.requireTenantKey(key);
    return listParts(key, uploadId);
  }

  /** The parts storage holds for any key's upload (the caller has checked the key). */
  public List<UploadedPart> listParts(String key, String uploadId) {
    return parts(key, uploadId).stream()
        .map(p -> new UploadedPart(p.partNumber(), p.partSize()))
        .toList();
  }

  /**
   * Joins the parts storage holds into the object {@code key}; returns the object's size in bytes.
   */
  public long tenantComplete(String key, String uploadId) {
    ObjectStorage.requireTenantKey(key);
    return complete(key, uploadId);
  }

  /** Completes any key's upload (the caller has checked the key); returns the object's size. */
  public long complete(String key, String uploadId) {
    List<Part> parts = parts(key, uploadId);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("The upload has no parts");
    }
    call(
        "complete the upload of " + key,
        client.completeMultipartUpload(
            CompleteMultipartUploadArgs.builder()
                .bucket(bucket)
                .object(key)
                .uploadId(uploadId)
                .parts(
                    parts.stream()
                        .map(p -> new Part(p.partNumber(), p.etag()))
                        .toArray(Part[]::new))
                .build()));
    return parts.stream().mapToLong(Part::partSize).sum();
  }

  /**
   * Abandons the calling tenant's upload and the parts it holds; an upload already gone is no
   * error.
   */
  public void tenantAbort(String key, String uploadId) {
    ObjectStorage.requireTenantKey(key);
    abort(key, uploadId);
  }

  /**
   * Abandons any tenant's upload (clean-up in system context); an upload already gone is no error.
   */
  public void abort(String key, String uploadId) {
    try {
      call(
          "abort the upload of " + key,
          client.abortMultipartUpload(
              AbortMultipartUploadArgs.builder()
                  .bucket(bucket)
                  .object(key)
                  .uploadId(uploadId)
                  .build()));
    } catch (ObjectStorage.StorageException e) {
      if (!isNoSuchUpload(e)) {
        throw e;
      }
    }
  }

  /**
   * Unfinished uploads whose key starts with {@code prefix}, of every tenant. MinIO lists only the
   * uploads of an exact key, so there this finds nothing for a folder; callers keep their own
   * record.
   */
  public List<IncompleteUpload> incompleteUploads(String prefix) {
    storage.ensureBucket();
    List<IncompleteUpload> found = new ArrayList<>();
    String keyMarker = null;
    String uploadIdMarker = null;
    while (true) {
      ListMultipartUploadsResult page =
          call(
                  "list unfinished uploads under " + prefix,
                  client.listMultipartUploads(
                      ListMultipartUploadsArgs.builder()
                          .bucket(bucket)
                          .prefix(prefix)
                          .keyMarker(keyMarker)
                          .uploadIdMarker(uploadIdMarker)
                          .build()))
              .result();
      for (ListMultipartUploadsResult.Upload upload : page.uploads()) {
        found.add(
            new IncompleteUpload(
                upload.objectName(),
                upload.uploadId(),
                upload.initiated() == null ? null : upload.initiated().toInstant()));
      }
      if (!page.isTruncated() || page.nextKeyMarker() == null) {
        return found;
      }
      keyMarker = page.nextKeyMarker();
      uploadIdMarker = page.nextUploadIdMarker();
    }
  }

  private List<Part> parts(String key, String uploadId) {
    List<Part> parts = new ArrayList<>();
    Integer marker = null;
    while (true) {
      ListPartsResult page =
          call(
                  "list the parts of " + key,
                  client.listParts(
                      ListPartsArgs.builder()
                          .bucket(bucket)
                          .object(key)
                          .uploadId(uploadId)
                          .partNumberMarker(marker)
                          .build()))
              .result();
      parts.addAll(page.parts());
      if (!page.isTruncated() || page.nextPartNumberMarker() == null) {
        parts.sort((a, b) -> Integer.compare(a.partNumber(), b.partNumber()));
        return parts;
      }
      marker = page.nextPartNumberMarker();
    }
  }

  private static boolean isNoSuchUpload(ObjectStorage.StorageException e) {
    return e.getCause() instanceof ErrorResponseException response
        && "NoSuchUpload".equals(response.errorResponse().code());
  }

  private static <T> T call(String what, CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ObjectStorage.StorageException("Interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      Throwable cause =
          e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
              ? c.getCause()
              : e.getCause();
      if (cause instanceof ErrorResponseException response
          && "NoSuchUpload".equals(response.errorResponse().code())) {
        throw new ObjectStorage.StorageException("No such upload: " + what + " failed", cause);
      }
      throw new ObjectStorage.StorageException(
          "Could not " + what + ": " + (cause == null ? e : cause).getMessage(), cause);
    }
  }
}
