package dev.tuneforge.app.tenancy;

import static dev.tuneforge.app.TestRows.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.app.TestApi;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.apikey.ApiKeys;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.staging.StagedUploads;
import dev.tuneforge.app.finetune.FineTuneRequest;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.node.NodeService;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.storage.StorageQuota;
import dev.tuneforge.protocol.NodeApi;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tenants' quotas as users meet them: a launch over the queued-jobs quota, an upload over the
 * storage quota, and a launch or a node's upload once storage is full are refused at once, in the
 * service (the forms' message) and over {@code /v1} (429 naming the quota and the use), and nothing
 * is stored; each tenant is measured on its own data only, and only a platform admin sets quotas.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.application.name=tuneforge-quota-it")
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class TenantQuotaIT {
  /** Two receipts, a few hundred bytes once stored with the original. */
  private static final String ROWS =
      """
      {"messages":[{"role":"user","content":"Shop A, paid 12.00"},{"role":"assistant","content":"{\\"total\\":\\"12.00\\"}"}]}
      {"messages":[{"role":"user","content":"Shop B, paid 4.20"},{"role":"assistant","content":"{\\"total\\":\\"4.20\\"}"}]}
      """;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired ApiKeys keys;
  @Autowired JdbcClient jdbc;
  @LocalServerPort int port;
  @Autowired TenantQuotas quotas;
  @Autowired DatasetService datasets;
  @Autowired StagedUploads staged;
  @Autowired StorageQuota storageQuota;
  @Autowired ObjectStorage storage;
  @Autowired FineTuneService fineTunes;
  @Autowired NodeService nodes;
  @TempDir Path files;

  private TestRows rows;
  private SignedInUser alice;
  private SignedInUser bob;
  private String model;
  private UUID modelId;

  @BeforeEach
  void tenants() {
    rows = new TestRows(jdbc);
    alice = rows.member("quota-a");
    bob = rows.member("quota-b");
    model = "quota-base-" + UUID.randomUUID();
    modelId = rows.model(model);
  }

  @Test
  void aLaunchOverTheQueuedJobsQuotaIsRefusedWith429AndAnotherTenantIsNotCounted()
      throws Exception {
    setQuotas(alice.tenantId(), new QuotaOverrides(null, 1, null, null, 1));
    UUID version = upload(alice, "a.jsonl");
    rows.job(alice.tenantId(), alice.userId(), modelId, version, "waiting", "queued");
    String fileA = "file-" + version;
    String keyA = TestApi.key(keys, alice.userId(), alice.tenantId(), Role.MEMBER);

    HttpResponse<String> refused = createJob(keyA, fileA);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    JsonNode error = JSON.readTree(refused.body()).path("error");
    assertThat(error.path("type").asString()).isEqualTo("insufficient_quota");
    assertThat(error.path("code").asString()).isEqualTo("queued_jobs");
    assertThat(error.path("message").asString())
        .startsWith(
            "Your team's quota of 1 queued fine-tunes is reached (1 queued fine-tunes in use)");
    assertThat(jobs(alice.tenantId())).as("the refused launch stored nothing").isEqualTo(1);

    // Bob's tenant, with the same quota, does not count Alice's queued job.
    setQuotas(bob.tenantId(), new QuotaOverrides(null, 1, null, null, 1));
    String keyB = TestApi.key(keys, bob.userId(), bob.tenantId(), Role.MEMBER);
    String fileB = "file-" + upload(bob, "b.jsonl");
    HttpResponse<String> accepted = createJob(keyB, fileB);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
  }

  @Test
  void anUploadOverTheStorageQuotaIsRefusedAtTheStartAndAtTheEndAndStoresNothing()
      throws Exception {
    upload(alice, "first.jsonl");
    long held = storageQuota.used(alice.tenantId());
    var objects = storage.list(ObjectKeys.tenantPrefix(alice.tenantId()));
    assertThat(held).isGreaterThan(ROWS.length());
    setQuotas(alice.tenantId(), new QuotaOverrides(null, null, held + 10, null, 1));

    // An upload announced larger than what is left is refused before a byte is sent.
    assertThatThrownBy(() -> as(alice, () -> staged.start("big.jsonl", 1_000_000)))
        .isInstanceOf(QuotaExceeded.class)
        .hasMessageContaining("quota of ")
        .hasMessageContaining(" of storage is reached (" + held + " bytes of storage in use)")
        .satisfies(
            e -> {
              QuotaExceeded over = (QuotaExceeded) e;
              assertThat(over.quota()).isEqualTo(Quota.STORAGE);
              assertThat(over.used()).isEqualTo(held);
            });

    // The same rows again need as much as the first upload: refused when the file is in, over /v1.
    String key = TestApi.key(keys, alice.userId(), alice.tenantId(), Role.MEMBER);
    HttpResponse<String> refused = uploadOverApi(key, "second.jsonl");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    JsonNode error = JSON.readTree(refused.body()).path("error");
    assertThat(error.path("code").asString()).isEqualTo("storage_bytes");
    assertThat(error.path("message").asString()).contains(held + " bytes of storage in use");
    assertThat(storageQuota.used(alice.tenantId())).as("nothing more stored").isEqualTo(held);
    assertThat(storage.list(ObjectKeys.tenantPrefix(alice.tenantId()))).isEqualTo(objects);

    // Bob's uploads are measured against his tenant's own storage, not Alice's.
    assertThat(storageQuota.used(bob.tenantId())).isZero();
    assertThat(
            uploadOverApi(TestApi.key(keys, bob.userId(), bob.tenantId(), Role.MEMBER), "b.jsonl")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void eachMemberSeesTheirOwnTeamsUseAndLimits() throws Exception {
    setQuotas(alice.tenantId(), new QuotaOverrides(2, 5, 1L << 30, null, 1));
    UUID version = upload(alice, "a.jsonl");
    rows.job(alice.tenantId(), alice.userId(), modelId, version, "waiting", "queued");
    rows.job(alice.tenantId(), alice.userId(), modelId, version, "waiting", "validating_files");

    Map<Quota, QuotaUsage> seen = usage(alice);
    assertThat(seen.get(Quota.QUEUED_JOBS)).isEqualTo(new QuotaUsage(Quota.QUEUED_JOBS, 5, 2L));
    assertThat(seen.get(Quota.RUNNING_JOBS)).isEqualTo(new QuotaUsage(Quota.RUNNING_JOBS, 2, 0L));
    assertThat(seen.get(Quota.STORAGE))
        .isEqualTo(new QuotaUsage(Quota.STORAGE, 1L << 30, storageQuota.used(alice.tenantId())));
    assertThat(seen.get(Quota.STORAGE).used()).isPositive();
    assertThat(seen.get(Quota.BACKGROUND_WORK).limit())
        .isEqualTo(quotas.defaults().backgroundWork());

    // Bob's page shows his empty tenant under the defaults, nothing of Alice's.
    Map<Quota, QuotaUsage> his = usage(bob);
    assertThat(his.get(Quota.QUEUED_JOBS))
        .isEqualTo(new QuotaUsage(Quota.QUEUED_JOBS, quotas.defaults().queuedJobs(), 0L));
    assertThat(his.get(Quota.STORAGE).used()).isZero();
    assertThat(his.get(Quota.RUNNING_JOBS).limit()).isEqualTo(quotas.defaults().runningJobs());
  }

  private Map<Quota, QuotaUsage> usage(SignedInUser member) {
    return as(member, () -> TenantContext.callAs(member.tenantId(), () -> quotas.usage())).stream()
        .collect(java.util.stream.Collectors.toMap(QuotaUsage::quota, usage -> usage));
  }

  @Test
  void aFullStorageQuotaRefusesALaunchAndANodesUploadsAndKeepsWhatIsStored() throws Exception {
    UUID version = upload(alice, "full.jsonl");
    UUID running = rows.job(alice.tenantId(), alice.userId(), modelId, version, "run", "queued");
    long held = storageQuota.used(alice.tenantId());
    var objects = storage.list(ObjectKeys.tenantPrefix(alice.tenantId()));
    setQuotas(alice.tenantId(), new QuotaOverrides(null, null, held, null, 1));

    // In the service, as the launch form shows it, and over /v1 with 429 naming the quota.
    assertThatThrownBy(
            () -> as(alice, () -> fineTunes.create(FineTuneRequest.defaults(modelId, version))))
        .isInstanceOf(QuotaExceeded.class)
        .hasMessageContaining(" of storage is reached (" + held + " bytes of storage in use)");
    String key = TestApi.key(keys, alice.userId(), alice.tenantId(), Role.MEMBER);
    HttpResponse<String> refused = createJob(key, "file-" + version);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    assertThat(JSON.readTree(refused.body()).path("error").path("code").asString())
        .isEqualTo("storage_bytes");
    assertThat(jobs(alice.tenantId())).as("only the job from before").isEqualTo(1);

    // The node running her job is refused upload URLs for a checkpoint and for the outputs.
    TestNodeApi api = new TestNodeApi(port);
    String credential = api.enrol(nodes.issueEnrolmentTokenForLocalNode(), "quota-node");
    UUID node = nodes.authenticate(credential).orElseThrow().getId();
    jdbc.sql(
            "update fine_tune_job set status = 'running', node_id = ?,"
                + " lease_expires_at = now() + interval '10 minutes' where id = ?")
        .params(node, running)
        .update();
    for (String path :
        List.of(
            NodeApi.forCheckpoint(NodeApi.CHECKPOINT, running, 3),
            NodeApi.forJob(NodeApi.OUTPUTS, running))) {
      HttpResponse<String> upload =
          api.post(path, "Bearer " + credential, "{\"files\":[\"adapter_model.safetensors\"]}");
      assertThat(upload.statusCode()).as(path + ": " + upload.body()).isEqualTo(403);
      assertThat(upload.body()).contains("Your team's quota of ", " of storage is reached");
    }
    assertThat(storage.list(ObjectKeys.tenantPrefix(alice.tenantId())))
        .as("what she stored stays")
        .isEqualTo(objects);

    // Bob's tenant is not counted with hers.
    setQuotas(bob.tenantId(), new QuotaOverrides(null, null, held * 10, null, 1));
    String keyB = TestApi.key(keys, bob.userId(), bob.tenantId(), Role.MEMBER);
    HttpResponse<String> accepted = createJob(keyB, "file-" + upload(bob, "b.jsonl"));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
  }

  @Test
  void onlyAPlatformAdminSetsQuotasAndEmptyFieldsTakeTheDefaults() {
    assertThatThrownBy(
            () ->
                as(
                    alice,
                    () -> quotas.set(alice.tenantId(), new QuotaOverrides(100, 100, null, 9, 5))))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(
            () -> setQuotas(alice.tenantId(), new QuotaOverrides(-1, null, null, null, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A quota is zero or more");
    assertThatThrownBy(
            () -> setQuotas(alice.tenantId(), new QuotaOverrides(null, null, null, null, 101)))
        .hasMessage("A dispatch weight is 1 to 100, not 101");

    setQuotas(alice.tenantId(), new QuotaOverrides(3, null, 5L << 30, null, 2));
    QuotaLimits limits = quotas.of(alice.tenantId());
    assertThat(limits.runningJobs()).isEqualTo(3);
    assertThat(limits.queuedJobs()).isEqualTo(quotas.defaults().queuedJobs());
    assertThat(limits.storageBytes()).isEqualTo(5L << 30);
    assertThat(limits.backgroundWork()).isEqualTo(quotas.defaults().backgroundWork());
    assertThat(limits.dispatchWeight()).isEqualTo(2);
    assertThat(quotas.of(bob.tenantId()).runningJobs()).isEqualTo(quotas.defaults().runningJobs());
  }

  private void setQuotas(UUID tenant, QuotaOverrides overrides) {
    SignedInUser admin =
        new SignedInUser(UUID.randomUUID(), null, "admin", "admin", Role.PLATFORM_ADMIN, "x", true);
    as(admin, () -> quotas.set(tenant, overrides));
  }

  private UUID upload(SignedInUser user, String name) throws Exception {
    Path file = Files.writeString(files.resolve(UUID.randomUUID() + ".jsonl"), ROWS);
    return as(
        user,
        () ->
            TenantContext.callAs(
                user.tenantId(), () -> datasets.upload(name, name, file).versionId()));
  }

  private HttpResponse<String> createJob(String key, String file) throws Exception {
    return new TestApi(port)
        .call("POST", "/v1/fine_tuning/jobs", key, Map.of("model", model, "training_file", file));
  }

  private HttpResponse<String> uploadOverApi(String key, String fileName) throws Exception {
    String boundary = "quota-" + UUID.randomUUID();
    String part = "--%s\r\nContent-Disposition: form-data; name=\"%s\"%s\r\n\r\n%s\r\n";
    String body =
        part.formatted(boundary, "purpose", "", "fine-tune")
            + part.formatted(boundary, "file", "; filename=\"" + fileName + "\"", ROWS)
            + "--"
            + boundary
            + "--\r\n";
    return HttpClient.newHttpClient()
        .send(
            new TestApi(port)
                .request("/v1/files")
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private int jobs(UUID tenant) {
    return jdbc.sql("select count(*) from fine_tune_job where tenant_id = ?")
        .param(tenant)
        .query(Integer.class)
        .single();
  }
}
