package dev.tuneforge.app.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestApi;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.apikey.ApiKeys;
import dev.tuneforge.app.catalog.TinyModelFolder;
import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.upload.UploadCorpus.DatasetFile;
import dev.tuneforge.app.upload.UploadCorpus.Outcome;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
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
 * A generated corpus of hostile files (truncated UTF-8, enormous lines, deep JSON, wrong types,
 * byte-order marks, CRLF, empty files, zip bombs, lying safetensors headers) sent through the real
 * upload paths: the dataset upload of the public API and a model folder's upload through part URLs.
 * Every file is stored whole or refused with a message naming its line or file, never with a server
 * error, and a refusal leaves no row, no object and no unfinished upload behind.
 */
// Its own application context, as OpenAiApiIT's: API keys authenticate into the security-context
// strategy of the context started last.
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.application.name=tuneforge-upload-corpus-it")
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class UploadCorpusIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired ApiKeys keys;
  @Autowired ObjectStorage storage;
  @Autowired MultipartStorage multipart;
  @TempDir Path temp;

  private TestApi api;
  private UUID tenant;
  private String key;

  @BeforeEach
  void aTenantAdmin() {
    api = new TestApi(port);
    TestRows rows = new TestRows(jdbc);
    tenant = rows.tenant("corpus");
    UUID user = UUID.randomUUID();
    jdbc.sql(
            "insert into app_user (id, tenant_id, username, display_name, password_hash, role, created_at)"
                + " values (?, ?, ?, ?, 'x', 'TENANT_ADMIN', now())")
        .params(user, tenant, "corpus-" + user, "corpus")
        .update();
    key = TestApi.key(keys, user, tenant, Role.TENANT_ADMIN);
  }

  @Test
  void everyDatasetFileIsStoredWholeOrRefusedNamingItsLineAndARefusalKeepsNothing()
      throws Exception {
    SoftAssertions softly = new SoftAssertions();
    for (DatasetFile file : UploadCorpus.datasets().values()) {
      int versions = versions();
      List<String> objects = storage.list(ObjectKeys.tenantPrefix(tenant));
      HttpResponse<String> answer = uploadDataset(file);
      softly.assertThat(answer.statusCode()).as("%s: %s", file, answer.body()).isLessThan(500);
      if (file.outcome() == Outcome.STORED) {
        softly.assertThat(answer.statusCode()).as("%s: %s", file, answer.body()).isEqualTo(200);
        if (answer.statusCode() == 200) {
          String id = JSON.readTree(answer.body()).path("id").asString();
          byte[] kept =
              HTTP.send(
                      api.request("/v1/files/" + id + "/content")
                          .header("Authorization", "Bearer " + key)
                          .build(),
                      HttpResponse.BodyHandlers.ofByteArray())
                  .body();
          softly.assertThat(kept).as("%s is kept whole", file).isEqualTo(file.bytes());
        }
        continue;
      }
      softly.assertThat(answer.statusCode()).as("%s: %s", file, answer.body()).isEqualTo(400);
      String message = JSON.readTree(answer.body()).path("error").path("message").asString();
      softly.assertThat(message).as("%s's refusal", file).isNotBlank();
      if (file.outcome() == Outcome.REFUSED_AT_LINE) {
        softly.assertThat(message).as("%s's refusal", file).contains("line " + file.line());
      }
      softly.assertThat(versions()).as("%s left no version", file).isEqualTo(versions);
      softly
          .assertThat(storage.list(ObjectKeys.tenantPrefix(tenant)))
          .as("%s left no object", file)
          .isEqualTo(objects);
    }
    softly.assertAll();
  }

  @Test
  void everyModelFolderIsRegisteredOrRefusedNamingTheFileAndARefusalKeepsNothing()
      throws Exception {
    Map<String, Map<String, byte[]>> corpus = modelFolders();
    SoftAssertions softly = new SoftAssertions();
    for (Map.Entry<String, Map<String, byte[]>> entry : corpus.entrySet()) {
      String label = entry.getKey();
      Map<String, byte[]> changed = entry.getValue();
      Path folder = temp.resolve(label);
      TinyModelFolder.write(folder);
      for (Map.Entry<String, byte[]> file : changed.entrySet()) {
        Files.write(folder.resolve(file.getKey()), file.getValue());
      }
      int models = models();
      HttpResponse<String> answer = uploadModel(label, folder);
      softly.assertThat(answer.statusCode()).as("%s: %s", label, answer.body()).isLessThan(500);
      if (label.startsWith("accepted")) {
        softly.assertThat(answer.statusCode()).as("%s: %s", label, answer.body()).isEqualTo(201);
        continue;
      }
      softly.assertThat(answer.statusCode()).as("%s: %s", label, answer.body()).isEqualTo(422);
      softly
          .assertThat(JSON.readTree(answer.body()).path("file").asString())
          .as("%s names the file", label)
          .isIn(changed.keySet());
      softly.assertThat(models()).as("%s registered nothing", label).isEqualTo(models);
      softly
          .assertThat(storage.list(ObjectKeys.tenantPrefix(tenant) + ObjectKeys.MODELS))
          .as("%s left no object", label)
          .allSatisfy(k -> assertThat(k).startsWith(ObjectKeys.tenantPrefix(tenant)))
          .hasSize(storedModelObjects());
      softly
          .assertThat(
              jdbc.sql("select count(*) from model_upload where owner_tenant_id = ?")
                  .param(tenant)
                  .query(Long.class)
                  .single())
          .as("%s left no upload record", label)
          .isZero();
      softly
          .assertThat(multipart.incompleteUploads(ObjectKeys.tenantPrefix(tenant)))
          .as("%s left no unfinished upload", label)
          .isEmpty();
    }
    softly.assertAll();
  }

  /** Folders that differ from a good tiny model in the files each names. */
  private static Map<String, Map<String, byte[]>> modelFolders() {
    String config = TinyModelFolder.CONFIG;
    byte[] euro = UploadCorpus.utf8(config.replace("\"llama\"", "\"llama €\""));
    int cut = new String(euro, StandardCharsets.ISO_8859_1).indexOf('\u00e2');
    Map<String, Map<String, byte[]>> corpus = new LinkedHashMap<>();
    corpus.put("accepted-as-generated", Map.of());
    corpus.put("accepted-with-a-zip-bomb-beside", Map.of("weights.zip", UploadCorpus.zipBomb()));
    corpus.put("config-empty", Map.of("config.json", new byte[0]));
    corpus.put(
        "config-deep-nesting",
        Map.of("config.json", UploadCorpus.utf8("[".repeat(200_000) + "]".repeat(200_000))));
    corpus.put(
        "config-truncated-utf8", Map.of("config.json", java.util.Arrays.copyOf(euro, cut + 2)));
    corpus.put(
        "config-wrong-types",
        Map.of("config.json", UploadCorpus.utf8(config.replace("16", "\"sixteen\""))));
    corpus.put("config-an-array", Map.of("config.json", UploadCorpus.utf8("[" + config + "]")));
    corpus.put("weights-a-zip-bomb", Map.of("model.safetensors", UploadCorpus.zipBomb()));
    corpus.put(
        "weights-header-length-enormous",
        Map.of("model.safetensors", UploadCorpus.safetensors(Long.MAX_VALUE, "{}")));
    corpus.put(
        "weights-header-length-negative",
        Map.of("model.safetensors", UploadCorpus.safetensors(-8, "{}")));
    String lying =
        "{\"model.embed_tokens.weight\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],"
            + "\"data_offsets\":[0,4000000000000]}}";
    corpus.put(
        "weights-header-claims-terabytes",
        Map.of("model.safetensors", UploadCorpus.safetensors(lying.length(), lying)));
    corpus.put(
        "weights-header-deep-nesting",
        Map.of(
            "model.safetensors",
            UploadCorpus.safetensors(400_000, "[".repeat(200_000) + "]".repeat(200_000))));
    corpus.put(
        "tokenizer-enormous-line",
        Map.of("tokenizer.json", UploadCorpus.utf8("{\"model\":\"" + "x".repeat(12_000_000))));
    corpus.put(
        "tokenizer-with-a-bom-and-deep-nesting",
        Map.of(
            "tokenizer.json",
            UploadCorpus.concat(
                UploadCorpus.bom(),
                UploadCorpus.utf8("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)))));
    return corpus;
  }

  private HttpResponse<String> uploadDataset(DatasetFile file) throws Exception {
    String boundary = "corpus-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        UploadCorpus.utf8(
            "--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + file.name()
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
    body.writeBytes(file.bytes());
    body.writeBytes(UploadCorpus.utf8("\r\n--" + boundary + "--\r\n"));
    return HTTP.send(
        api.request("/v1/files")
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Uploads a folder as a script does: the plan, each part to a URL, then complete. */
  private HttpResponse<String> uploadModel(String label, Path folder) throws Exception {
    List<Map<String, Object>> files = new ArrayList<>();
    try (Stream<Path> paths = Files.list(folder)) {
      for (Path file : paths.sorted().toList()) {
        files.add(Map.of("name", file.getFileName().toString(), "size", Files.size(file)));
      }
    }
    String name = "Corpus/" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> started =
        api.call("POST", "/api/v1/models/uploads", key, Map.of("name", name, "files", files));
    if (started.statusCode() != 201) {
      return started;
    }
    JsonNode plan = JSON.readTree(started.body());
    for (JsonNode file : plan.path("files")) {
      byte[] bytes = Files.readAllBytes(folder.resolve(file.path("name").asString()));
      long partSize = file.path("partSize").asLong();
      // As a script whose URLs ran out: fresh ones, each signed for its part's length.
      HttpResponse<String> fresh =
          api.call(
              "POST",
              "/api/v1/models/uploads/" + plan.path("id").asString() + "/part-urls",
              key,
              Map.of("name", file.path("name").asString(), "uploadId", ""));
      assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
      JsonNode urls = JSON.readTree(fresh.body());
      assertThat(urls).hasSameSizeAs(file.path("partUrls"));
      int part = 0;
      for (JsonNode url : urls) {
        int from = (int) (part * partSize);
        int to = (int) Math.min(bytes.length, from + partSize);
        assertThat(TestObjectStorage.put(url.asString(), bytes, from, to - from))
            .as("part %d of %s", part + 1, file)
            .isEqualTo(200);
        part++;
      }
    }
    return api.call(
        "POST", "/api/v1/models/uploads/" + plan.path("id").asString() + "/complete", key, null);
  }

  private int versions() {
    return jdbc.sql("select count(*) from dataset_version where tenant_id = ?")
        .param(tenant)
        .query(Integer.class)
        .single();
  }

  private int models() {
    return jdbc.sql("select count(*) from base_model where owner_tenant_id = ?")
        .param(tenant)
        .query(Integer.class)
        .single();
  }

  /** The objects of the tenant's registered models. */
  private int storedModelObjects() {
    List<String> prefixes =
        jdbc.sql("select object_prefix from base_model where owner_tenant_id = ?")
            .param(tenant)
            .query(String.class)
            .list();
    return prefixes.stream().mapToInt(p -> storage.list(p).size()).sum();
  }
}
