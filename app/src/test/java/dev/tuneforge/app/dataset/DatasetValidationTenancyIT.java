package dev.tuneforge.app.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.dataset.version.Dataset;
import dev.tuneforge.app.dataset.version.DatasetRepository;
import dev.tuneforge.app.dataset.version.DatasetVersion;
import dev.tuneforge.app.dataset.version.DatasetVersionRepository;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.tenancy.TenantContext;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * A version's validation file, with its row count and split, is stored with the version and is
 * reachable only by its own tenant (and by dispatch in system context), like its training file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
class DatasetValidationTenancyIT {
  @Autowired DatasetService service;
  @Autowired DatasetRepository datasets;
  @Autowired DatasetVersionRepository versions;
  @Autowired JdbcClient jdbc;

  @Test
  void anotherTenantsVersionHasNoValidationFileForMe() {
    UUID a = tenant("a");
    UUID b = tenant("b");
    UUID split = TenantContext.callAs(a, () -> version(a, 90, 10, "random 10% (seed 42)"));
    UUID plain = TenantContext.callAs(a, () -> version(a, 100, 0, "none"));
    String expected =
        TenantContext.callAs(a, () -> versions.findById(split).orElseThrow().getObjectKey())
            .replace(DatasetService.TRAINING_FILE, DatasetService.VALIDATION_FILE);

    assertThat(TenantContext.callAs(a, () -> service.validationFileKey(split))).contains(expected);
    assertThat(expected).startsWith(ObjectKeys.tenantPrefix(a));
    assertThat(TenantContext.callAs(a, () -> service.validationFileKey(plain))).isEmpty();
    assertThat(TenantContext.callAs(b, () -> service.validationFileKey(split))).isEmpty();
    assertThat(TenantContext.callAs(b, () -> service.trainingFileKey(split))).isEmpty();
    assertThat(TenantContext.callAsSystem(() -> service.validationFileKey(split)))
        .contains(expected);
    assertThat(service.validationFileKey(split)).as("nobody signed in").isEmpty();

    DatasetSummary listed = TenantContext.callAs(a, () -> service.findVersion(split)).orElseThrow();
    assertThat(listed.rows()).isEqualTo(90);
    assertThat(listed.validationRows()).isEqualTo(10);
    assertThat(listed.split()).isEqualTo("random 10% (seed 42)");
    assertThat(listed.label()).endsWith("(v1, 90 rows + 10 validation)");
    assertThat(TenantContext.callAs(b, () -> service.list()))
        .extracting(DatasetSummary::versionId)
        .doesNotContain(split, plain);
  }

  private UUID tenant(String name) {
    UUID id = UUID.randomUUID();
    jdbc.sql("insert into tenant (id, name, created_at) values (?, ?, now())")
        .params(id, name + "-" + id)
        .update();
    return id;
  }

  /** Writes a version the way the service does, through the repositories, as the current tenant. */
  private UUID version(UUID tenant, int rows, int validationRows, String split) {
    UUID user = UUID.randomUUID();
    TenantContext.runAsSystem(
        () ->
            jdbc.sql(
                    "insert into app_user (id, tenant_id, username, display_name, password_hash, role, created_at)"
                        + " values (?, ?, ?, 'u', 'x', 'MEMBER', now())")
                .params(user, tenant, "u-" + user)
                .update());
    Instant now = Instant.now();
    Dataset dataset = datasets.save(new Dataset("receipts-" + UUID.randomUUID(), user, now));
    String prefix = ObjectKeys.datasetVersion(tenant, dataset.getId(), 1);
    DatasetVersion version =
        new DatasetVersion(
                UUID.randomUUID(),
                dataset.getId(),
                1,
                "receipts.csv",
                DatasetFormat.CSV.id(),
                prefix + DatasetService.TRAINING_FILE,
                rows,
                1,
                "x",
                null,
                now)
            .withValidation(
                validationRows > 0 ? prefix + DatasetService.VALIDATION_FILE : null,
                validationRows,
                split);
    return versions.save(version).getId();
  }
}
