package dev.tuneforge.app.dataset;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Uploads, lists and previews the calling tenant's datasets. An upload is validated and
 * normalised to canonical chat JSONL (a temporary file) in one pass before anything is stored;
 * a rejected file leaves no row and no object behind.
 */
@Service
@EnableConfigurationProperties(DatasetProperties.class)
public class DatasetService {
  /** Name of the canonical chat JSONL object inside a version's prefix. */
  public static final String TRAINING_FILE = "train.jsonl";
  /** Name (before the upload's extension) of the upload as it came, kept beside the training file. */
  public static final String ORIGINAL_FILE = "original";

  private final DatasetRepository datasets;
  private final DatasetVersionRepository versions;
  private final ObjectStorage storage;
  private final DatasetProperties properties;
  private final TransactionTemplate transactions;

  DatasetService(
      DatasetRepository datasets,
      DatasetVersionRepository versions,
      ObjectStorage storage,
      DatasetProperties properties,
      TransactionTemplate transactions) {
    this.datasets = datasets;
    this.versions = versions;
    this.storage = storage;
    this.properties = properties;
    this.transactions = transactions;
  }

  public long maxUploadBytes() {
    return properties.maxUploadBytes();
  }

  /**
   * Validates {@code file} and stores it as a new version of the dataset called {@code name}
   * (its first version if no such dataset exists), detecting its format and rejecting it whole
   * if any row has a problem.
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
      String name, String fileName, Path file, @Nullable DatasetFormat format, boolean dropInvalid,
      boolean redactPersonalData) {
    UUID tenant = TenantContext.requireTenant();
    UUID user = CurrentUser.require().userId();
    String datasetName = name.strip();
    if (datasetName.isEmpty()) {
      throw rejected("Give the dataset a name");
    }
    long size = size(file);
    if (size > properties.maxUploadBytes()) {
      throw rejected(
          "The file is " + megabytes(size) + " MB; the limit is " + megabytes(properties.maxUploadBytes()) + " MB");
    }
    Path canonical = tempFile();
    try {
      ValidationReport report;
      QualityReport quality;
      String sha256;
      try (InputStream in = Files.newInputStream(file);
          DigestOutputStream out =
              new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(canonical), 1 << 16), sha256())) {
        DatasetNormalizer normalizer = new DatasetNormalizer(format, dropInvalid, redactPersonalData);
        report = normalizer.normalize(in, out);
        quality = normalizer.quality();
        out.flush();
        sha256 = HexFormat.of().formatHex(out.getMessageDigest().digest());
      }
      if (!report.accepted()) {
        String reason = report.rows() == 0 && report.droppedRows() > 0
            ? "No row is valid"
            : "The file has " + report.problemCount() + " problems";
        throw new DatasetRejected(reason, report);
      }
      return new DatasetUpload(
          store(datasetName, fileName, file, canonical, report, quality, sha256, tenant, user), report, quality);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(canonical);
    }
  }

  private DatasetSummary store(
      String datasetName, String fileName, Path original, Path canonical, ValidationReport report,
      QualityReport quality, String sha256, UUID tenant, UUID user) throws IOException {
    Dataset dataset =
        datasets.findByNameIgnoreCase(datasetName).orElseGet(() -> new Dataset(datasetName, user));
    int version =
        versions.findFirstByDatasetIdOrderByVersionDesc(dataset.getId()).map(v -> v.getVersion() + 1).orElse(1);
    String prefix = ObjectKeys.datasetVersion(tenant, dataset.getId(), version);
    String key = prefix + TRAINING_FILE;
    String originalKey = prefix + originalFileName(fileName);
    long size = Files.size(canonical);
    storage.put(key, canonical, "application/jsonl");
    try {
      storage.put(originalKey, original, "application/octet-stream");
      DatasetVersion saved =
          transactions.execute(
              status -> {
                datasets.save(dataset);
                return versions.save(
                    new DatasetVersion(
                        UUID.randomUUID(), dataset.getId(), version, fileName, report.format(), key, report.rows(),
                        size, sha256, QualityReports.toJson(quality)));
              });
      return summary(dataset, saved);
    } catch (RuntimeException e) {
      storage.delete(key);
      storage.delete(originalKey);
      throw e;
    }
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

  /** A version of the calling tenant; empty for unknown ids and other tenants' versions. */
  public Optional<DatasetSummary> findVersion(UUID versionId) {
    return versions
        .findById(versionId)
        .flatMap(v -> datasets.findById(v.getDatasetId()).map(d -> summary(d, v)));
  }

  /** A version's quality report; empty for unknown ids and versions stored before reports existed. */
  public Optional<QualityReport> quality(UUID versionId) {
    return versions.findById(versionId).map(DatasetVersion::getQualityReport).map(QualityReports::fromJson);
  }

  /** The object key of a version's training file, for dispatch (any tenant in system context). */
  public Optional<String> trainingFileKey(UUID versionId) {
    return versions.findById(versionId).map(DatasetVersion::getObjectKey);
  }

  /** The first {@code limit} rows of a version, as stored. */
  public List<String> preview(UUID versionId, int limit) {
    DatasetVersion version =
        versions.findById(versionId).orElseThrow(() -> new IllegalArgumentException("No such dataset"));
    List<String> rows = new ArrayList<>();
    try (InputStream in = storage.tenantOpen(version.getObjectKey());
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
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
        d.getId(), d.getName(), v.getId(), v.getVersion(), v.getFileName(), v.getRowCount(), v.getSizeBytes(), v.getCreatedAt());
  }

  private static DatasetRejected rejected(String reason) {
    return new DatasetRejected(reason, new ValidationReport(0, List.of(reason), 1));
  }

  private static Path tempFile() {
    try {
      return Files.createTempFile("tuneforge-dataset-", ".jsonl");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      file.toFile().deleteOnExit();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String megabytes(long bytes) {
    return String.format("%.1f", bytes / 1_048_576.0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
