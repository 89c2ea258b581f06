package dev.tuneforge.app.dataset.staging;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.dataset.DatasetProperties;
import dev.tuneforge.app.dataset.DatasetRejected;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.storage.AbandonedUploads;
import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.storage.StorageQuota;
import dev.tuneforge.app.tenancy.TenantContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Uploads that go from the browser straight to object storage: {@link #start} opens a multipart
 * upload under the tenant's {@code uploads/} folder, the browser PUTs the parts to presigned URLs,
 * and {@link #finish} joins them and hands back a local copy for {@link DatasetService#upload}. The
 * staged object and the record of the upload go in every outcome; {@link #abort} and the scheduled
 * {@link #cleanUp} leave no parts behind either; the storage module schedules that clean-up.
 */
@Service
public class StagedUploads implements AbandonedUploads {
  /** S3's smallest part (but the last) is 5 MiB; larger parts mean fewer requests. */
  static final long MIN_PART_SIZE = 8L * 1024 * 1024;

  private static final int MAX_PARTS = 10_000;

  /** The browser asks for part URLs in batches just before it sends them: minutes suffice. */
  static final Duration URL_VALIDITY = Duration.ofMinutes(15);

  private static final Pattern STAGED_KEY =
      Pattern.compile("^tenants/[^/]+/" + ObjectKeys.UPLOADS + ".+");
  private static final Logger log = LoggerFactory.getLogger(StagedUploads.class);

  private final StagedUploadRepository uploads;
  private final MultipartStorage multipart;
  private final ObjectStorage storage;
  private final DatasetProperties properties;
  private final StorageQuota quota;
  private final Clock clock;

  StagedUploads(
      StagedUploadRepository uploads,
      MultipartStorage multipart,
      ObjectStorage storage,
      DatasetProperties properties,
      StorageQuota quota,
      Clock clock) {
    this.quota = quota;
    this.uploads = uploads;
    this.multipart = multipart;
    this.storage = storage;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * How the browser sends a file: its parts' size and count; ask {@link #partUrls} where to PUT
   * them.
   */
  public record UploadPlan(UUID id, long partSize, int partCount) {}

  /** A finished upload copied to a local file; the caller deletes the file. */
  public record StagedFile(String fileName, Path file) {}

  /**
   * Opens an upload of {@code size} bytes for the calling tenant.
   *
   * @throws DatasetRejected for an empty file or one over the size limit, before anything is stored
   */
  public UploadPlan start(String fileName, long size) {
    UUID tenant = TenantContext.requireTenant();
    UUID user = CurrentUser.require().userId();
    if (size <= 0) {
      throw DatasetRejected.because(fileName + " is empty");
    }
    properties.checkUploadSize(fileName, size);
    quota.check(uploads.findAll().stream().mapToLong(StagedUpload::getSizeBytes).sum(), size);
    long partSize = partSize(size);
    UUID id = UUID.randomUUID();
    String key = ObjectKeys.stagedUpload(tenant, id, fileName);
    String uploadId = multipart.tenantCreate(key);
    StagedUpload upload =
        uploads.save(
            new StagedUpload(id, fileName, size, partSize, key, uploadId, user, clock.instant()));
    return new UploadPlan(id, partSize, upload.partCount());
  }

  /**
   * Presigned PUT URLs for parts {@code first} to {@code first + count - 1} of the calling tenant's
   * upload.
   */
  public List<String> partUrls(UUID id, int first, int count) {
    StagedUpload upload = find(id);
    int last = Math.min(upload.partCount(), first + count - 1);
    if (first < 1 || first > last) {
      throw new IllegalArgumentException(
          "The upload has parts 1 to " + upload.partCount() + ", not " + first);
    }
    List<String> urls = new ArrayList<>();
    for (int part = first; part <= last; part++) {
      urls.add(
          multipart.tenantPresignPart(
              upload.getObjectKey(),
              upload.getUploadId(),
              upload.getSizeBytes(),
              upload.getPartSize(),
              part,
              URL_VALIDITY));
    }
    return urls;
  }

  /**
   * Joins the parts, checks that every byte arrived and copies the file here; the staged object,
   * the multipart upload and the record are gone afterwards, whatever happened.
   *
   * @throws DatasetRejected when parts are missing
   */
  public StagedFile finish(UUID id) {
    StagedUpload upload = find(id);
    String key = upload.getObjectKey();
    Path copy = null;
    try {
      long arrived = multipart.tenantComplete(key, upload.getUploadId());
      if (arrived != upload.getSizeBytes()) {
        throw DatasetRejected.because(
            "The upload of "
                + upload.getFileName()
                + " is incomplete: "
                + arrived
                + " of "
                + upload.getSizeBytes()
                + " bytes arrived");
      }
      copy = Files.createTempFile("tuneforge-upload-", ".upload");
      try (InputStream in = storage.tenantOpen(key)) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      StagedFile staged = new StagedFile(upload.getFileName(), copy);
      copy = null;
      return staged;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (copy != null) {
        copy.toFile().delete();
      }
      discard(upload);
    }
  }

  /** Abandons the calling tenant's upload: its parts and record go; an unknown id is ignored. */
  public void abort(UUID id) {
    uploads.findById(id).ifPresent(this::discard);
  }

  /**
   * Aborts every upload started before {@code cutoff} (any tenant, in system context) and deletes
   * what it staged; where storage lists unfinished uploads by folder, also those that no record
   * names. Returns how many uploads it abandoned.
   */
  @Override
  public int cleanUp(Instant cutoff) {
    int abandoned = 0;
    for (StagedUpload upload : uploads.findByCreatedAtBefore(cutoff)) {
      discard(upload);
      abandoned++;
    }
    for (MultipartStorage.IncompleteUpload orphan :
        multipart.incompleteUploads(ObjectKeys.TENANTS)) {
      if (STAGED_KEY.matcher(orphan.key()).matches()
          && orphan.started() != null
          && orphan.started().isBefore(cutoff)) {
        multipart.abort(orphan.key(), orphan.uploadId());
        abandoned++;
      }
    }
    return abandoned;
  }

  /**
   * The clock uploads are timed by: when they start, how old they are, how fast their parts arrive.
   */
  public Clock clock() {
    return clock;
  }

  @Override
  public Duration abandonedUploadAge() {
    return properties.abandonedUploadAge();
  }

  private StagedUpload find(UUID id) {
    return uploads.findById(id).orElseThrow(() -> new IllegalArgumentException("No such upload"));
  }

  /**
   * Aborts (a no-op once completed), deletes the staged object and then the record that names them.
   */
  private void discard(StagedUpload upload) {
    try {
      multipart.abort(upload.getObjectKey(), upload.getUploadId());
      storage.delete(upload.getObjectKey());
      uploads.delete(upload);
    } catch (RuntimeException e) {
      // The record stays so that the next clean-up tries again.
      log.warn("Could not discard the staged upload {}: {}", upload.getObjectKey(), e.getMessage());
    }
  }

  /**
   * The smallest part size (whole MiB, at least {@link #MIN_PART_SIZE}) that fits the file into
   * 10,000 parts.
   */
  static long partSize(long size) {
    long mib = 1024L * 1024;
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    return Math.max(MIN_PART_SIZE, (needed + mib - 1) / mib * mib);
  }
}
