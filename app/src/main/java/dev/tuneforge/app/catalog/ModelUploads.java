package dev.tuneforge.app.catalog;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.catalog.ModelUpload.FolderFile;
import dev.tuneforge.app.storage.AbandonedUploads;
import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.app.storage.MultipartStorage.UploadedPart;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.modelformat.folder.ModelRejectedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * Model folders that a browser or a script uploads straight to object storage: {@link #start} opens
 * one multipart upload per file under the importer's area ({@code models/{id}/} for the platform,
 * {@code tenants/{tenant}/models/{id}/} for a tenant) and records them, the client PUTs the parts
 * to presigned URLs, and {@link #complete} joins them and registers the validated model. Until then
 * the importer's admins see the upload in {@link #pending} and {@link #resume} it with the same
 * files; another owner's upload is "No such upload". A refused, cancelled or abandoned upload
 * leaves no object and no record behind.
 */
@Service
@EnableConfigurationProperties(ModelUploadProperties.class)
public class ModelUploads implements AbandonedUploads {
  /** S3 parts but the last have at least 5 MiB; 64 MiB keeps a 5 GB shard at 80 requests. */
  static final long MIN_PART_SIZE = 64L * 1024 * 1024;

  private static final int MAX_PARTS = 10_000;

  /**
   * Part URLs are fetched again when they run out ({@link #partUrls}), so they need last only
   * minutes.
   */
  static final Duration URL_VALIDITY = Duration.ofMinutes(15);

  private static final Pattern FILE_NAME =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");
  private static final Pattern MODEL_KEY =
      Pattern.compile("^(" + ObjectKeys.TENANTS + "[^/]+/)?" + ObjectKeys.MODELS + ".+");
  private static final Logger log = LoggerFactory.getLogger(ModelUploads.class);

  private final CatalogService catalog;
  private final ModelUploadRepository records;
  private final MultipartStorage multipart;
  private final ObjectStorage storage;
  private final ModelUploadProperties properties;
  private final Clock clock;

  ModelUploads(
      CatalogService catalog,
      ModelUploadRepository records,
      MultipartStorage multipart,
      ObjectStorage storage,
      ModelUploadProperties properties,
      Clock clock) {
    this.catalog = catalog;
    this.records = records;
    this.multipart = multipart;
    this.storage = storage;
    this.properties = properties;
    this.clock = clock;
  }

  /** A file the client will send, with its size in bytes. */
  public record FileToSend(String name, long size) {}

  /** Where and how to send one file: PUT each part to its URL, in order, {@code partSize} each. */
  public record FilePlan(String name, String uploadId, long partSize, List<String> partUrls) {}

  /** The upload's id (the future model's) and each file's plan. */
  public record UploadPlan(UUID id, List<FilePlan> files) {}

  /** A file the client has sent: its name and the upload id its plan gave. */
  public record SentFile(String name, String uploadId) {}

  /** An unfinished upload: what it imports, and how many of its files and bytes have arrived. */
  public record PendingUpload(
      UUID id, ModelImport request, int files, int filesDone, long bytes, long bytesDone) {}

  /**
   * Opens and records the uploads of a model folder's files.
   *
   * @throws ModelRejectedException for a file name that would leave the folder or comes twice, and
   *     IllegalArgumentException for an empty list or an id the owner already has, before anything
   *     is stored
   */
  public UploadPlan start(ModelImport request, List<FileToSend> files) {
    @Nullable UUID owner = catalog.importingOwner();
    UUID user = CurrentUser.require().userId();
    catalog.requireFree(request, owner);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("Choose the files of a model folder");
    }
    Set<String> names = new HashSet<>();
    for (FileToSend file : files) {
      checkName(file.name());
      if (!names.add(file.name())) {
        throw new ModelRejectedException(file.name(), "is listed twice");
      }
    }
    UUID id = UUID.randomUUID();
    String prefix = prefix(owner, id);
    List<FolderFile> opened = new ArrayList<>();
    try {
      for (FileToSend file : files) {
        String uploadId = multipart.create(prefix + file.name());
        opened.add(new FolderFile(file.name(), file.size(), partSize(file.size()), uploadId));
      }
      records.save(new ModelUpload(id, owner, prefix, request, opened, user, clock.instant()));
    } catch (RuntimeException e) {
      opened.forEach(f -> multipart.abort(prefix + f.name(), f.multipartUploadId()));
      throw e;
    }
    return plan(id, prefix, opened);
  }

  /** The importer's unfinished uploads (the platform's for a platform admin), oldest first. */
  public List<PendingUpload> pending() {
    return records.findByOwnerTenantIdOrderByCreatedAt(catalog.importingOwner()).stream()
        .map(
            u ->
                new PendingUpload(
                    u.getId(),
                    u.request(),
                    u.getFiles().size(),
                    (int) u.getFiles().stream().filter(FolderFile::isDone).count(),
                    u.getFiles().stream().mapToLong(FolderFile::sizeBytes).sum(),
                    u.getFiles().stream().mapToLong(FolderFile::bytesDone).sum()))
        .toList();
  }

  /**
   * Continues an upload with the same folder chosen again: fresh part URLs for every file; ask
   * {@link #sentParts} which parts to skip.
   *
   * @throws ModelRejectedException naming a file the folder lacks, has at another size, or has
   *     beyond the upload's; nothing changes then
   */
  public UploadPlan resume(UUID id, List<FileToSend> files) {
    ModelUpload upload = find(id);
    Map<String, Long> chosen = new HashMap<>();
    files.forEach(f -> chosen.put(f.name(), f.size()));
    for (FolderFile file : upload.getFiles()) {
      Long size = chosen.remove(file.name());
      if (size == null) {
        throw new ModelRejectedException(
            file.name(), "is missing from the chosen folder; choose the folder of this upload");
      }
      if (size != file.sizeBytes()) {
        throw new ModelRejectedException(
            file.name(),
            "has "
                + size
                + " bytes in the chosen folder but "
                + file.sizeBytes()
                + " in the upload being resumed; choose the same folder");
      }
    }
    if (!chosen.isEmpty()) {
      throw new ModelRejectedException(
          chosen.keySet().iterator().next(), "was not in the folder this upload started with");
    }
    records.touch(id, clock.instant());
    return plan(id, upload.getObjectPrefix(), upload.getFiles());
  }

  /** The parts storage already holds of a file, so an interrupted client sends only the rest. */
  public List<UploadedPart> sentParts(UUID id, String name) {
    ModelUpload upload = find(id);
    FolderFile file = file(upload, name);
    List<UploadedPart> parts =
        multipart.listParts(upload.getObjectPrefix() + name, file.multipartUploadId());
    records.setProgress(id, name, parts.size(), parts.stream().mapToLong(UploadedPart::size).sum());
    return parts;
  }

  /**
   * Fresh URLs for the parts of one file of the upload, each signed for its part's exact length;
   * {@code first} to {@code last} (inclusive, within the file's parts) or all of them.
   */
  public List<String> partUrls(UUID id, String name, int first, int last) {
    ModelUpload upload = find(id);
    FolderFile file = file(upload, name);
    String key = upload.getObjectPrefix() + name;
    return IntStream.rangeClosed(Math.max(1, first), Math.min(last, file.partCount()))
        .mapToObj(n -> presign(key, file, n))
        .toList();
  }

  /** Counts a part of {@code size} bytes the client has sent, for {@link #pending}'s figures. */
  public void partSent(UUID id, String name, long size) {
    file(find(id), name);
    records.countPart(id, name, size);
    records.touch(id, clock.instant());
  }

  /**
   * Joins every file's parts and registers the model once inspection accepts it; the record goes in
   * every outcome.
   *
   * @throws ModelRejectedException naming the file and the reason; the files are deleted then
   * @throws IllegalArgumentException for an upload the importer does not have
   */
  public BaseModel complete(UUID id) {
    ModelUpload upload = find(id);
    String prefix = upload.getObjectPrefix();
    try {
      for (FolderFile file : upload.getFiles()) {
        long arrived = multipart.complete(prefix + file.name(), file.multipartUploadId());
        if (arrived != file.sizeBytes()) {
          throw new ModelRejectedException(
              file.name(),
              "is incomplete: " + arrived + " of " + file.sizeBytes() + " bytes arrived");
        }
      }
    } catch (RuntimeException e) {
      discard(upload);
      throw e;
    }
    try {
      return catalog.save(id, upload.request(), catalog.importingOwner(), prefix, true);
    } finally {
      records.delete(upload);
    }
  }

  /** Abandons the importer's upload: its parts, any file already joined and its record go. */
  public void abort(UUID id) {
    records.findByIdAndOwnerTenantId(id, catalog.importingOwner()).ifPresent(this::discard);
  }

  @Override
  public Duration abandonedUploadAge() {
    return properties.abandonedUploadAge();
  }

  /**
   * Discards every upload no part reached since {@code cutoff}, and, where storage lists unfinished
   * uploads by folder, those under a model folder that no record names and that started before.
   */
  @Override
  public int cleanUp(Instant cutoff) {
    int abandoned = 0;
    for (ModelUpload upload : records.findByLastActiveAtBefore(cutoff)) {
      try {
        discard(upload);
        abandoned++;
      } catch (RuntimeException e) {
        // The record stays so that the next clean-up tries again.
        log.warn("Could not discard the model upload {}: {}", upload.getId(), e.getMessage());
      }
    }
    Set<String> recorded = new HashSet<>();
    records.findAll().forEach(u -> u.getFiles().forEach(f -> recorded.add(f.multipartUploadId())));
    for (String folder : List.of(ObjectKeys.MODELS, ObjectKeys.TENANTS)) {
      for (MultipartStorage.IncompleteUpload orphan : multipart.incompleteUploads(folder)) {
        if (MODEL_KEY.matcher(orphan.key()).matches()
            && !recorded.contains(orphan.uploadId())
            && orphan.started() != null
            && orphan.started().isBefore(cutoff)) {
          multipart.abort(orphan.key(), orphan.uploadId());
          abandoned++;
        }
      }
    }
    return abandoned;
  }

  private void discard(ModelUpload upload) {
    for (FolderFile file : upload.getFiles()) {
      multipart.abort(upload.getObjectPrefix() + file.name(), file.multipartUploadId());
    }
    storage.deleteAll(upload.getObjectPrefix());
    records.delete(upload);
  }

  private ModelUpload find(UUID id) {
    return records
        .findByIdAndOwnerTenantId(id, catalog.importingOwner())
        .orElseThrow(() -> new IllegalArgumentException("No such upload"));
  }

  private static FolderFile file(ModelUpload upload, String name) {
    return upload.getFiles().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(name + " is not part of this upload"));
  }

  private UploadPlan plan(UUID id, String prefix, List<FolderFile> files) {
    List<FilePlan> plans = new ArrayList<>();
    for (FolderFile file : files) {
      String key = prefix + file.name();
      List<String> urls =
          IntStream.rangeClosed(1, file.partCount()).mapToObj(n -> presign(key, file, n)).toList();
      plans.add(new FilePlan(file.name(), file.multipartUploadId(), file.partSize(), urls));
    }
    return new UploadPlan(id, plans);
  }

  private String presign(String key, FolderFile file, int part) {
    return multipart.presignPart(
        key, file.multipartUploadId(), file.sizeBytes(), file.partSize(), part, URL_VALIDITY);
  }

  private static String prefix(@Nullable UUID owner, UUID id) {
    return owner == null ? ObjectKeys.platformModel(id) : ObjectKeys.tenantModel(owner, id);
  }

  static long partSize(long size) {
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    return Math.max(MIN_PART_SIZE, needed);
  }

  private static void checkName(String name) {
    if (!FILE_NAME.matcher(name).matches() || name.contains("..") || name.length() > 300) {
      throw new ModelRejectedException(
          name, "not a file name inside the model folder (letters, digits, '.', '_', '-', '/')");
    }
  }
}
