package dev.tuneforge.app.catalog;

import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.modelformat.folder.ModelRejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Model folders that a browser or a script uploads straight to object storage: {@link #start} opens
 * one multipart upload per file under the importer's area ({@code models/{id}/} for the platform,
 * {@code tenants/{tenant}/models/{id}/} for a tenant), the client PUTs the parts to presigned URLs,
 * and {@link #complete} joins them and registers the validated model. A refused or abandoned upload
 * leaves no object behind.
 */
@Service
public class ModelUploads {
  /** S3 parts but the last have at least 5 MiB; 64 MiB keeps a 5 GB shard at 80 requests. */
  static final long MIN_PART_SIZE = 64L * 1024 * 1024;

  private static final int MAX_PARTS = 10_000;
  private static final Duration URL_VALIDITY = Duration.ofHours(6);
  private static final Pattern FILE_NAME =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");

  private final CatalogService catalog;
  private final MultipartStorage multipart;
  private final ObjectStorage storage;

  ModelUploads(CatalogService catalog, MultipartStorage multipart, ObjectStorage storage) {
    this.catalog = catalog;
    this.multipart = multipart;
    this.storage = storage;
  }

  /** A file the client will send, with its size in bytes. */
  public record FileToSend(String name, long size) {}

  /** Where and how to send one file: PUT each part to its URL, in order, {@code partSize} each. */
  public record FilePlan(String name, String uploadId, long partSize, List<String> partUrls) {}

  /** The upload's id (the future model's) and each file's plan. */
  public record UploadPlan(UUID id, List<FilePlan> files) {}

  /** A file the client has sent: its name and the upload id its plan gave. */
  public record SentFile(String name, String uploadId) {}

  /**
   * Opens the uploads of a model folder's files.
   *
   * @throws ModelRejectedException for a file name that would leave the folder, and
   *     IllegalArgumentException for an empty list or an id the owner already has, before anything
   *     is stored
   */
  public UploadPlan start(ModelImport request, List<FileToSend> files) {
    @Nullable UUID owner = catalog.importingOwner();
    catalog.requireFree(request, owner);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("Choose the files of a model folder");
    }
    files.forEach(f -> checkName(f.name()));
    UUID id = UUID.randomUUID();
    String prefix = prefix(owner, id);
    List<FilePlan> plans = new ArrayList<>();
    for (FileToSend file : files) {
      String key = prefix + file.name();
      String uploadId = multipart.create(key);
      long partSize = partSize(file.size());
      int parts = (int) Math.max(1, (file.size() + partSize - 1) / partSize);
      List<String> urls =
          IntStream.rangeClosed(1, parts)
              .mapToObj(n -> multipart.presignPart(key, uploadId, n, URL_VALIDITY))
              .toList();
      plans.add(new FilePlan(file.name(), uploadId, partSize, urls));
    }
    return new UploadPlan(id, plans);
  }

  /** The parts storage already holds of a file, so an interrupted client sends only the rest. */
  public List<MultipartStorage.UploadedPart> sentParts(UUID id, SentFile file) {
    return multipart.listParts(key(id, file.name()), file.uploadId());
  }

  /**
   * Joins every file's parts and registers the model once inspection accepts it.
   *
   * @throws dev.tuneforge.modelformat.folder.ModelRejectedException naming the file and the reason;
   *     the files are deleted then
   */
  public BaseModel complete(UUID id, ModelImport request, List<SentFile> files) {
    @Nullable UUID owner = catalog.importingOwner();
    String prefix = prefix(owner, id);
    try {
      for (SentFile file : files) {
        multipart.complete(key(id, file.name()), file.uploadId());
      }
    } catch (RuntimeException e) {
      abort(id, files);
      throw e;
    }
    return catalog.save(id, request, owner, prefix, true);
  }

  /** Abandons an upload: its parts and any file already joined go. */
  public void abort(UUID id, List<SentFile> files) {
    for (SentFile file : files) {
      multipart.abort(key(id, file.name()), file.uploadId());
    }
    storage.deleteAll(prefix(catalog.importingOwner(), id));
  }

  private String key(UUID id, String name) {
    checkName(name);
    return prefix(catalog.importingOwner(), id) + name;
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
