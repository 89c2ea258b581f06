package dev.tuneforge.app.dataset;

import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.TenantContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Uploads, lists and previews the calling tenant's datasets. An upload is validated in full
 * before anything is stored; a rejected file leaves no row and no object behind.
 */
@Service
@EnableConfigurationProperties(DatasetProperties.class)
public class DatasetService {
  /** Name of the canonical chat JSONL object inside a version's prefix. */
  public static final String TRAINING_FILE = "train.jsonl";

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
   * (its first version if no such dataset exists).
   *
   * @throws DatasetRejected with every problem found, naming lines and reasons
   */
  public DatasetSummary upload(String name, String fileName, Path file) {
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
    ValidationReport report;
    String sha256;
    try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
      report = new ChatJsonlValidator().validate(in);
      sha256 = HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!report.valid()) {
      throw new DatasetRejected("The file has " + report.problemCount() + " problems", report);
    }

    Dataset dataset =
        datasets.findByNameIgnoreCase(datasetName).orElseGet(() -> new Dataset(datasetName, user));
    int version =
        versions.findFirstByDatasetIdOrderByVersionDesc(dataset.getId()).map(v -> v.getVersion() + 1).orElse(1);
    String key = ObjectKeys.datasetVersion(tenant, dataset.getId(), version) + TRAINING_FILE;
    storage.put(key, file, "application/jsonl");
    DatasetVersion saved;
    try {
      saved =
          transactions.execute(
              status -> {
                datasets.save(dataset);
                return versions.save(
                    new DatasetVersion(
                        UUID.randomUUID(), dataset.getId(), version, fileName, key, report.rows(), size, sha256));
              });
    } catch (RuntimeException e) {
      storage.delete(key);
      throw e;
    }
    return summary(dataset, saved);
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
