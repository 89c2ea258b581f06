package dev.tuneforge.app.dataset;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.dataset.ingest.DatasetNormalizer;
import dev.tuneforge.app.dataset.ingest.NormalizedUpload;
import dev.tuneforge.app.dataset.quality.QualityReports;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import dev.tuneforge.app.dataset.version.Dataset;
import dev.tuneforge.app.dataset.version.DatasetRepository;
import dev.tuneforge.app.dataset.version.DatasetVersion;
import dev.tuneforge.app.dataset.version.DatasetVersionRepository;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.storage.StorageQuota;
import dev.tuneforge.app.tenancy.TenantContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Uploads, lists and previews the calling tenant's datasets. An upload is validated and normalised
 * to canonical chat JSONL (a temporary file) in one pass before anything is stored; a rejected file
 * leaves no row and no object behind.
 */
@Service
@EnableConfigurationProperties(DatasetProperties.class)
public class DatasetService {
  /** Name of the canonical chat JSONL object inside a version's prefix. */
  public static final String TRAINING_FILE = "train.jsonl";

  /**
   * Name (before the upload's extension) of the upload as it came, kept beside the training file.
   */
  public static final String ORIGINAL_FILE = "original";

  /** Name of the canonical chat JSONL object of a version's validation rows, when it has any. */
  public static final String VALIDATION_FILE = "validation.jsonl";

  private static final JsonMapper PREFERENCE_JSON = JsonMapper.builder().build();

  private final DatasetRepository datasets;
  private final DatasetVersionRepository versions;
  private final ObjectStorage storage;
  private final DatasetProperties properties;
  private final StorageQuota quota;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher publisher;
  private final Clock clock;

  DatasetService(
      DatasetRepository datasets,
      DatasetVersionRepository versions,
      ObjectStorage storage,
      DatasetProperties properties,
      StorageQuota quota,
      TransactionTemplate transactions,
      ApplicationEventPublisher publisher,
      Clock clock) {
    this.quota = quota;
    this.datasets = datasets;
    this.versions = versions;
    this.storage = storage;
    this.properties = properties;
    this.transactions = transactions;
    this.publisher = publisher;
    this.clock = clock;
  }

  public long maxUploadBytes() {
    return properties.maxUploadBytes();
  }

  /**
   * Validates {@code file} and stores it as a new version of the dataset called {@code name} (its
   * first version if no such dataset exists), detecting its format and rejecting it whole if any
   * row has a problem.
   *
   * @throws DatasetRejected with every problem found, naming lines and reasons
   */
  public DatasetSummary upload(String name, String fileName, Path file) {
    return upload(name, fileName, file, null, false, false).dataset();
  }

  /**
   * Like {@link #upload(String, String, Path)}, in the given format (null: detect it) and, with
   * {@code dropInvalid}, storing the valid rows and reporting the dropped ones. With {@code
   * redactPersonalData} the stored training file has personal data replaced by placeholders; the
   * original is kept as uploaded.
   */
  public DatasetUpload upload(
      String name,
      String fileName,
      Path file,
      @Nullable DatasetFormat format,
      boolean dropInvalid,
      boolean redactPersonalData) {
    return upload(
        name,
        fileName,
        file,
        new DatasetUploadOptions(
            format, dropInvalid, redactPersonalData, null, DatasetSplit.none()));
  }

  /**
   * Like {@link #upload(String, String, Path)}, read as {@code options} say: a CSV by its column
   * mapping, and its rows divided into a training file and a validation file by the split.
   *
   * @throws DatasetRejected with every problem found in either file, naming the file, lines and
   *     reasons
   */
  public DatasetUpload upload(
      String name, String fileName, Path file, DatasetUploadOptions options) {
    UUID tenant = TenantContext.requireTenant();
    UUID user = CurrentUser.require().userId();
    String datasetName = name.strip();
    if (datasetName.isEmpty()) {
      throw DatasetRejected.because("Give the dataset a name");
    }
    checkSize(fileName, file);
    if (options.split() instanceof DatasetSplit.SeparateFile separate) {
      checkSize(separate.fileName(), separate.file());
    }
    try (NormalizedUpload read = NormalizedUpload.read(fileName, file, options)) {
      ValidationReport report = read.report();
      if (!report.accepted()) {
        String reason =
            report.rows() == 0 && report.droppedRows() > 0
                ? "No row is valid"
                : "The "
                    + (options.split() instanceof DatasetSplit.SeparateFile
                        ? "files have "
                        : "file has ")
                    + report.problemCount()
                    + " problems";
        throw new DatasetRejected(reason, report);
      }
      if (read.trainRows() == 0) {
        throw DatasetRejected.because(
            "No row is left for training: all "
                + read.validationRows()
                + " rows are validation rows");
      }
      Map<String, Path> originals = new LinkedHashMap<>();
      originals.put(originalFileName(fileName), file);
      if (options.split() instanceof DatasetSplit.SeparateFile separate) {
        originals.put(originalValidationFileName(separate.fileName()), separate.file());
      }
      DatasetSummary stored =
          store(datasetName, fileName, read, options.split().describe(), originals, tenant, user);
      publisher.publishEvent(
          new DatasetUploaded(
              tenant, stored.versionId(), stored.name(), stored.version(), fileName));
      return new DatasetUpload(stored, report, read.quality());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void checkSize(String fileName, Path file) {
    properties.checkUploadSize(fileName, size(file));
  }

  /** The header of a CSV file, for choosing its columns; refused when it has none. */
  public List<String> csvColumns(Path file) {
    return DatasetNormalizer.csvHeader(file);
  }

  /**
   * The top-level columns of a Parquet file when they need a mapping (plain text columns); empty
   * when they are those of a row layout ({@code messages}, {@code conversations}, …), read as they
   * are. Refused when the file cannot be read as Parquet.
   */
  public List<String> parquetColumnsToMap(Path file) {
    return DatasetNormalizer.parquetHasRowLayout(file)
        ? List.of()
        : DatasetNormalizer.parquetColumns(file);
  }

  /**
   * Stores a new version of the dataset called {@code datasetName}: the canonical files of {@code
   * read} and the {@code originals} (object name to file), all or nothing.
   */
  private DatasetSummary store(
      String datasetName,
      String fileName,
      NormalizedUpload read,
      String split,
      Map<String, Path> originals,
      UUID tenant,
      UUID user)
      throws IOException {
    Instant now = clock.instant();
    Dataset dataset =
        datasets
            .findByNameIgnoreCase(datasetName)
            .orElseGet(() -> new Dataset(datasetName, user, now));
    int version =
        versions
            .findFirstByDatasetIdOrderByVersionDesc(dataset.getId())
            .map(v -> v.getVersion() + 1)
            .orElse(1);
    String prefix = ObjectKeys.datasetVersion(tenant, dataset.getId(), version);
    String key = prefix + TRAINING_FILE;
    String validationKey = read.validationRows() > 0 ? prefix + VALIDATION_FILE : null;
    long size = Files.size(read.train());
    long adding = size + (validationKey != null ? Files.size(read.validation()) : 0);
    for (Path original : originals.values()) {
      adding += Files.size(original);
    }
    quota.check(0, adding);
    List<String> written = new ArrayList<>();
    DatasetVersion saved;
    try {
      put(written, key, read.train(), "application/jsonl");
      if (validationKey != null) {
        put(written, validationKey, read.validation(), "application/jsonl");
      }
      for (Map.Entry<String, Path> original : originals.entrySet()) {
        put(written, prefix + original.getKey(), original.getValue(), "application/octet-stream");
      }
      saved =
          transactions.execute(
              status -> {
                datasets.save(dataset);
                DatasetVersion row =
                    new DatasetVersion(
                            UUID.randomUUID(),
                            dataset.getId(),
                            version,
                            fileName,
                            read.report().formatId(),
                            key,
                            read.trainRows(),
                            size,
                            read.sha256(),
                            QualityReports.toJson(read.quality()),
                            now)
                        .withValidation(validationKey, read.validationRows(), split);
                return versions.save(
                    read.preference() == null
                        ? row
                        : row.withPreferencePairs(
                            PREFERENCE_JSON.writeValueAsString(read.preference())));
              });
    } catch (RuntimeException e) {
      written.forEach(storage::delete);
      throw e;
    }
    publisher.publishEvent(new DatasetVersionStored(tenant, saved.getId()));
    return summary(dataset, saved);
  }

  /**
   * Adds a version made from {@code versionId}'s stored files: personal data redacted and/or
   * duplicate rows removed (a validation row repeating a training row too), each row keeping its
   * side. The source version stays as it is.
   */
  public DatasetUpload derive(
      UUID versionId, boolean redactPersonalData, boolean removeDuplicates) {
    UUID tenant = TenantContext.requireTenant();
    UUID user = CurrentUser.require().userId();
    if (!redactPersonalData && !removeDuplicates) {
      throw DatasetRejected.because(
          "Choose what the new version changes: redact personal data, remove duplicates or both");
    }
    DatasetVersion source =
        versions
            .findById(versionId)
            .orElseThrow(() -> new IllegalArgumentException("No such dataset"));
    if (DatasetVersion.PREFERENCE.equals(source.getKind())) {
      throw DatasetRejected.because(
          "A version of preference pairs is not derived again: upload its file anew with"
              + " \"Redact personal data\" to redact it");
    }
    Dataset dataset = datasets.findById(source.getDatasetId()).orElseThrow();
    List<Path> copies = new ArrayList<>();
    try {
      Path train = download(source.getObjectKey(), copies);
      Path validation =
          source.getValidationObjectKey() == null
              ? null
              : download(source.getValidationObjectKey(), copies);
      try (NormalizedUpload read =
          NormalizedUpload.derive(train, validation, redactPersonalData, removeDuplicates)) {
        List<String> changes = new ArrayList<>();
        if (redactPersonalData) {
          changes.add("personal data redacted");
        }
        if (removeDuplicates) {
          changes.add(read.duplicatesRemoved() + " duplicate rows removed");
        }
        String fileName = "v" + source.getVersion() + ", " + String.join(", ", changes);
        DatasetSummary saved =
            store(dataset.getName(), fileName, read, source.getSplit(), Map.of(), tenant, user);
        return new DatasetUpload(saved, read.report(), read.quality());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      copies.forEach(DatasetService::deleteQuietly);
    }
  }

  private Path download(String key, List<Path> copies) throws IOException {
    Path copy = Files.createTempFile("tuneforge-source-", ".jsonl");
    copies.add(copy);
    try (InputStream in = storage.tenantOpen(key)) {
      Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return copy;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      file.toFile().deleteOnExit();
    }
  }

  private void put(List<String> written, String key, Path file, String contentType) {
    storage.put(key, file, contentType);
    written.add(key);
  }

  /** The name a separate validation upload is kept under: {@code original-validation.<ext>}. */
  static String originalValidationFileName(String uploadedName) {
    return originalFileName(uploadedName)
        .replaceFirst("^" + ORIGINAL_FILE, ORIGINAL_FILE + "-validation");
  }

  /** The name the upload is kept under beside the canonical file: {@code original.<ext>}. */
  static String originalFileName(String uploadedName) {
    int dot = uploadedName.lastIndexOf('.');
    String extension = dot < 0 ? "" : uploadedName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return extension.matches("[a-z0-9]{1,10}") ? ORIGINAL_FILE + "." + extension : ORIGINAL_FILE;
  }

  public List<DatasetSummary> list() {
    List<DatasetSummary> result = new ArrayList<>();
    for (Dataset dataset : datasets.findAllByOrderByCreatedAtDesc()) {
      versions
          .findFirstByDatasetIdOrderByVersionDesc(dataset.getId())
          .ifPresent(v -> result.add(summary(dataset, v)));
    }
    return result;
  }

  /** Every version of every dataset of the calling tenant, newest first. */
  public List<DatasetSummary> versions() {
    Map<UUID, Dataset> byId = new LinkedHashMap<>();
    datasets.findAll().forEach(d -> byId.put(d.getId(), d));
    return versions.findAllByOrderByCreatedAtDesc().stream()
        .filter(v -> byId.containsKey(v.getDatasetId()))
        .map(v -> summary(byId.get(v.getDatasetId()), v))
        .toList();
  }

  /**
   * The object key of a version's file as it was uploaded; the stored training file for versions
   * derived from another. Empty for unknown ids and other tenants' versions.
   */
  public Optional<String> uploadedFileKey(UUID versionId) {
    return versions
        .findById(versionId)
        .map(
            v -> {
              String prefix =
                  v.getObjectKey().substring(0, v.getObjectKey().length() - TRAINING_FILE.length());
              String original = prefix + originalFileName(v.getFileName());
              return storage.exists(original) ? original : v.getObjectKey();
            });
  }

  /**
   * Deletes a version with its files (and the dataset with its last version).
   *
   * @throws IllegalArgumentException for unknown ids and other tenants' versions
   * @throws IllegalStateException when a fine-tune or another feature still uses the version
   */
  public void deleteVersion(UUID versionId) {
    DatasetVersion version =
        versions
            .findById(versionId)
            .orElseThrow(() -> new IllegalArgumentException("No such dataset"));
    String prefix =
        version
            .getObjectKey()
            .substring(0, version.getObjectKey().length() - TRAINING_FILE.length());
    String name = datasets.findById(version.getDatasetId()).map(d -> d.getName()).orElse("?");
    try {
      transactions.executeWithoutResult(
          status -> {
            versions.deleteTokenLengths(versionId);
            versions.delete(version);
            versions.flush();
            if (versions.findFirstByDatasetIdOrderByVersionDesc(version.getDatasetId()).isEmpty()) {
              datasets.deleteById(version.getDatasetId());
            }
          });
    } catch (org.springframework.dao.DataIntegrityViolationException inUse) {
      throw new IllegalStateException(
          "Version " + version.getVersion() + " is used by a fine-tune or another job; it is kept");
    }
    storage.deleteAll(prefix);
    publisher.publishEvent(
        new DatasetVersionDeleted(version.getTenantId(), versionId, name, version.getVersion()));
  }

  /** A version of the calling tenant; empty for unknown ids and other tenants' versions. */
  public Optional<DatasetSummary> findVersion(UUID versionId) {
    return versions
        .findById(versionId)
        .flatMap(v -> datasets.findById(v.getDatasetId()).map(d -> summary(d, v)));
  }

  /**
   * A version's quality report; empty for unknown ids and versions stored before reports existed.
   */
  public Optional<QualityReport> quality(UUID versionId) {
    return versions
        .findById(versionId)
        .map(DatasetVersion::getQualityReport)
        .map(QualityReports::fromJson);
  }

  /**
   * How a version's preference pairs compare their answers; empty for chat rows, unknown ids and
   * other tenants' versions.
   */
  public Optional<PreferenceReport> preference(UUID versionId) {
    return versions
        .findById(versionId)
        .map(DatasetVersion::getPreferenceReport)
        .map(json -> PREFERENCE_JSON.readValue(json, PreferenceReport.class));
  }

  /** The object key of a version's training file, for dispatch (any tenant in system context). */
  public Optional<String> trainingFileKey(UUID versionId) {
    return versions.findById(versionId).map(DatasetVersion::getObjectKey);
  }

  /**
   * The object key of a version's validation file; empty when it has none, for unknown ids and for
   * other tenants' versions (any tenant in system context), like {@link #trainingFileKey}.
   */
  public Optional<String> validationFileKey(UUID versionId) {
    return versions.findById(versionId).map(DatasetVersion::getValidationObjectKey);
  }

  /** The first {@code limit} rows of a version's training file, as stored. */
  public List<String> preview(UUID versionId, int limit) {
    return preview(versionId, limit, false);
  }

  /**
   * The first {@code limit} rows of a version's training or validation file (none when it has no
   * such file).
   */
  public List<String> preview(UUID versionId, int limit, boolean validation) {
    DatasetVersion version =
        versions
            .findById(versionId)
            .orElseThrow(() -> new IllegalArgumentException("No such dataset"));
    String key = validation ? version.getValidationObjectKey() : version.getObjectKey();
    List<String> rows = new ArrayList<>();
    if (key == null) {
      return rows;
    }
    try (InputStream in = storage.tenantOpen(key);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while (rows.size() < limit && (line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static DatasetSummary summary(Dataset d, DatasetVersion v) {
    return new DatasetSummary(
        d.getId(),
        d.getName(),
        v.getId(),
        v.getVersion(),
        v.getFileName(),
        v.getRowCount(),
        v.getSizeBytes(),
        v.getCreatedAt(),
        v.getValidationRowCount(),
        v.getSplit(),
        v.getKind());
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
