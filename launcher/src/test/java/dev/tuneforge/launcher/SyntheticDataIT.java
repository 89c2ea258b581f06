package dev.tuneforge.launcher;

import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.principal;
import static dev.tuneforge.launcher.PlatformTestSupport.suffix;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.synthetic.DocumentKind;
import dev.tuneforge.app.synthetic.FieldSpec;
import dev.tuneforge.app.synthetic.FieldType;
import dev.tuneforge.app.synthetic.GenerationJob;
import dev.tuneforge.app.synthetic.GenerationSpec;
import dev.tuneforge.app.synthetic.GenerationStatus;
import dev.tuneforge.app.synthetic.SyntheticDataService;
import dev.tuneforge.app.synthetic.SyntheticGenerator;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A generation job on the real platform (embedded PostgreSQL, S3Proxy, no training node): it stores
 * a dataset version whose rows all parse and are the generator's rows, in its tenant only.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class SyntheticDataIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int ROWS = 2000;
  private static final GenerationSpec SPEC =
      new GenerationSpec(
          List.of(
              new FieldSpec("vendor", FieldType.COMPANY, "The seller"),
              new FieldSpec(
                  "invoice_number", FieldType.ID, "The invoice's number", List.of("INV-2024-0042")),
              new FieldSpec("issue_date", FieldType.DATE, "When it was issued"),
              new FieldSpec(
                  "status", FieldType.ENUM, "Payment status", List.of("paid", "open", "overdue")),
              new FieldSpec("total", FieldType.MONEY, "Amount due, tax included")),
          DocumentKind.INVOICE,
          ROWS,
          2026,
          0.3);

  private static Path dataDir;
  private static LocalPlatform platform;
  private static ApplicationContext app;

  @BeforeAll
  static void startPlatform() throws IOException {
    dataDir = Files.createTempDirectory("tuneforge-synthetic-");
    platform = LocalPlatform.start(LocalPlatform.Settings.forTests(dataDir).withStartNode(false));
    app = platform.context();
  }

  @AfterAll
  static void stopPlatform() throws IOException {
    if (platform != null) {
      platform.close();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void aGenerationJobStoresADatasetVersionOfItsTenantWhoseRowsAllParse() throws IOException {
    SignedInUser admin = principal(app, platform.adminUsername());
    Tenant a = as(admin, () -> app.getBean(TenantService.class).create("Generators " + suffix()));
    Tenant b = as(admin, () -> app.getBean(TenantService.class).create("Others " + suffix()));
    SignedInUser alice = member(admin, a, "alice-" + suffix());
    SignedInUser bob = member(admin, b, "bob-" + suffix());
    SyntheticDataService synthetic = app.getBean(SyntheticDataService.class);

    long started = System.nanoTime();
    GenerationJob job = as(alice, () -> synthetic.start("synthetic invoices", SPEC));
    GenerationJob done = awaitFinished(alice, job.getId());
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "Generated and stored %d rows in %.1f s (%.0f rows/s)%n", ROWS, seconds, ROWS / seconds);
    assertThat(done.getStatus())
        .as("error: %s", done.getError())
        .isEqualTo(GenerationStatus.SUCCEEDED);
    assertThat(done.getRowsDone()).isEqualTo(ROWS);

    UUID versionId = done.getDatasetVersionId();
    DatasetSummary version =
        as(alice, () -> app.getBean(DatasetService.class).findVersion(versionId).orElseThrow());
    assertThat(version.name()).isEqualTo("synthetic invoices");
    assertThat(version.rows()).isEqualTo(ROWS);
    assertThat(as(alice, () -> app.getBean(DatasetService.class).quality(versionId))).isPresent();
    String key =
        as(alice, () -> app.getBean(DatasetService.class).trainingFileKey(versionId).orElseThrow());
    assertThat(key).startsWith(ObjectKeys.tenantPrefix(alice.tenantId()));

    SyntheticGenerator generator = new SyntheticGenerator(SPEC);
    int rows = 0;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                app.getBean(ObjectStorage.class).open(key), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        JsonNode messages = JSON.readTree(line).get("messages");
        JsonNode expected = JSON.readTree(generator.row(rows)).get("messages");
        assertThat(messages.get(1).get("content").asString())
            .isEqualTo(expected.get(1).get("content").asString());
        JsonNode truth = JSON.readTree(messages.get(2).get("content").asString());
        assertThat(truth.propertyNames())
            .containsExactly("vendor", "invoice_number", "issue_date", "status", "total");
        assertThat(messages.get(2).get("content").asString())
            .isEqualTo(expected.get(2).get("content").asString());
        rows++;
      }
    }
    assertThat(rows).isEqualTo(ROWS);

    assertThat(as(bob, synthetic::list))
        .extracting(GenerationJob::getId)
        .doesNotContain(job.getId());
    assertThat(as(bob, () -> app.getBean(DatasetService.class).findVersion(versionId))).isEmpty();
  }

  private static GenerationJob awaitFinished(SignedInUser user, UUID jobId) {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      GenerationJob job =
          as(user, () -> app.getBean(SyntheticDataService.class).find(jobId).orElseThrow());
      if (job.getStatus().finished()) {
        return job;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("generation " + jobId + " did not finish in time");
  }

  private static SignedInUser member(SignedInUser admin, Tenant tenant, String username) {
    as(
        admin,
        () ->
            app.getBean(AccountService.class)
                .create(tenant.getId(), username, username, "correct-horse-1", Role.MEMBER));
    return principal(app, username);
  }
}
