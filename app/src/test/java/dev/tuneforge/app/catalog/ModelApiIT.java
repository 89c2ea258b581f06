package dev.tuneforge.app.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestApi;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.apikey.ApiKeys;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model API as a script uses it, over HTTP with API keys against real PostgreSQL and S3:
 * register a prefix, upload a folder through presigned part URLs, list, look up and retire; a
 * refusal names the file and leaves no row and no object; another tenant answers 404.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class ModelApiIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired ObjectStorage storage;
  @Autowired ApiKeys keys;
  @TempDir Path temp;

  private String platformAdmin;
  private String adminA;
  private String adminB;
  private UUID tenantA;

  @BeforeEach
  void users() {
    TestRows rows = new TestRows(jdbc);
    tenantA = rows.tenant("a");
    platformAdmin = user(null, "PLATFORM_ADMIN");
    adminA = user(tenantA, "TENANT_ADMIN");
    adminB = user(rows.tenant("b"), "TENANT_ADMIN");
  }

  @Test
  void aScriptRegistersAPrefixThatOnlyItsTenantSeesAndRetires() throws Exception {
    assertThat(call("GET", "", null, null).statusCode()).isEqualTo(401);
    String prefix = ObjectKeys.tenantPrefix(tenantA) + "synced/qwen/";
    mirror(prefix);
    Map<String, Object> body =
        Map.of(
            "name",
            "Acme/Api-" + CatalogImportIT.suffix(),
            "displayName",
            "From the API",
            "prefix",
            prefix);

    HttpResponse<String> denied = call("POST", "", adminB, body);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(call("POST", "", platformAdmin, body).statusCode()).isEqualTo(403);
    HttpResponse<String> created = call("POST", "", adminA, body);
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode model = JSON.readTree(created.body());
    String id = model.path("id").asString();
    assertThat(model.path("owner").asString()).isEqualTo(tenantA.toString());
    assertThat(model.path("architecture").asString()).isEqualTo("LlamaForCausalLM");
    assertThat(model.path("parameters").asLong()).isPositive();

    assertThat(call("GET", "/" + id, adminA, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/" + id, adminB, null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "", adminB, null).body()).doesNotContain(id);
    assertThat(call("POST", "/" + id + "/retire", adminB, null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "", adminA, null).body()).contains(id);

    HttpResponse<String> retired = call("POST", "/" + id + "/retire", adminA, null);
    assertThat(retired.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(retired.body()).path("retiredAt").isNull()).isFalse();
    assertThat(call("GET", "", adminA, null).body()).doesNotContain(id);
    assertThat(call("GET", "?retired=true", adminA, null).body()).contains(id);
    assertThat(call("GET", "/" + id, adminA, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aScriptUploadsAFolderThroughPartUrlsAndABrokenOneLeavesNothing() throws Exception {
    Path folder = temp.resolve("good");
    long parameters = TinyModelFolder.write(folder);
    String name = "Acme/Uploaded-" + CatalogImportIT.suffix();
    HttpResponse<String> done = upload(platformAdmin, name, folder);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
    JsonNode model = JSON.readTree(done.body());
    assertThat(model.path("owner").asString()).isEqualTo("platform");
    assertThat(model.path("parameters").asLong()).isEqualTo(parameters);
    String prefix = model.path("objectPrefix").asString();
    assertThat(prefix)
        .isEqualTo(ObjectKeys.platformModel(UUID.fromString(model.path("id").asString())));
    assertThat(storage.list(prefix)).hasSize(5);
    assertThat(call("GET", "", adminB, null).body()).as("every tenant sees it").contains(name);

    Path broken = temp.resolve("broken");
    TinyModelFolder.write(broken);
    Files.writeString(broken.resolve("model.safetensors"), "not weights at all");
    int rowsBefore = jdbc.sql("select count(*) from base_model").query(Integer.class).single();
    HttpResponse<String> refused =
        upload(adminA, "Acme/Broken-" + CatalogImportIT.suffix(), broken);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(refused.body()).path("file").asString())
        .isEqualTo("model.safetensors");
    assertThat(jdbc.sql("select count(*) from base_model").query(Integer.class).single())
        .isEqualTo(rowsBefore);
    assertThat(storage.list(ObjectKeys.tenantPrefix(tenantA) + ObjectKeys.MODELS))
        .as("no object left")
        .isEmpty();

    HttpResponse<String> escaping =
        call(
            "POST",
            "/uploads",
            adminA,
            Map.of(
                "name", "Acme/Escape", "files", List.of(Map.of("name", "../x.json", "size", 2))));
    assertThat(escaping.statusCode()).isEqualTo(422);
    assertThat(escaping.body()).contains("../x.json");
  }

  private HttpResponse<String> upload(String key, String name, Path folder) throws Exception {
    List<Map<String, Object>> files = new ArrayList<>();
    try (Stream<Path> paths = Files.list(folder)) {
      for (Path file : paths.sorted().toList()) {
        files.add(Map.of("name", file.getFileName().toString(), "size", Files.size(file)));
      }
    }
    HttpResponse<String> started =
        call("POST", "/uploads", key, Map.of("name", name, "files", files));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    JsonNode plan = JSON.readTree(started.body());
    List<Map<String, String>> sent = new ArrayList<>();
    for (JsonNode file : plan.path("files")) {
      byte[] bytes = Files.readAllBytes(folder.resolve(file.path("name").asString()));
      long partSize = file.path("partSize").asLong();
      int part = 0;
      for (JsonNode url : file.path("partUrls")) {
        int from = (int) (part * partSize);
        int to = (int) Math.min(bytes.length, from + partSize);
        assertThat(TestObjectStorage.put(url.asString(), bytes, from, to - from)).isEqualTo(200);
        part++;
      }
      sent.add(
          Map.of(
              "name", file.path("name").asString(), "uploadId", file.path("uploadId").asString()));
    }
    return call(
        "POST",
        "/uploads/" + plan.path("id").asString() + "/complete",
        key,
        Map.of("name", name, "files", sent));
  }

  private HttpResponse<String> call(String method, String path, String key, Object body)
      throws IOException, InterruptedException {
    return new TestApi(port).call(method, "/api/v1/models" + path, key, body);
  }

  /** A new user's API key. */
  private String user(UUID tenant, String role) {
    String username = role.toLowerCase() + "-" + CatalogImportIT.suffix();
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into app_user (id, tenant_id, username, display_name, password_hash, role, created_at)"
                + " values (?, ?, ?, ?, 'x', ?, now())")
        .params(id, tenant, username, username, role)
        .update();
    return TestApi.key(keys, id, tenant, Role.valueOf(role));
  }

  private void mirror(String prefix) throws IOException {
    Path folder = temp.resolve("mirror");
    TinyModelFolder.write(folder);
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        storage.put(prefix + file.getFileName(), file, "application/octet-stream");
      }
    }
  }
}
