package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running app reached only from outside, as an operator's script does: its pages in chromium,
 * {@code /api} with the admin's key, and its bucket with the storage credentials.
 */
record AppFromOutside(
    String baseUrl, String adminKey, String s3Endpoint, String accessKey, String secretKey) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Signs in as the admin on the sign-in page the image serves and issues a token on /nodes. */
  String enrolmentTokenFromTheNodesPage(String adminPassword) {
    try (Playwright playwright = BrowserSupport.playwright();
        Browser browser = BrowserSupport.chromium(playwright)) {
      Page page = browser.newPage();
      page.navigate(baseUrl + "/login");
      // The first page of a freshly started app loads its bundle on a busy machine: allow a minute.
      assertThat(page.locator("vaadin-login-form"))
          .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
      BrowserSupport.signIn(page, baseUrl, "admin", adminPassword);
      page.navigate(baseUrl + "/nodes");
      page.locator("#issue-token").click();
      assertThat(page.locator("#enrolment-token"))
          .containsText(
              "TUNEFORGE_ENROL_TOKEN=",
              new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
      Matcher token =
          Pattern.compile("TUNEFORGE_ENROL_TOKEN=(\\S+)")
              .matcher(page.locator("#enrolment-token").textContent());
      assertThat(token.find()).isTrue();
      return token.group(1);
    }
  }

  /** The tiny demo Llama, written to the bucket and registered as a platform model over /api. */
  void registerDemoModel() throws Exception {
    Path folder = Files.createTempDirectory("tuneforge-demo-model");
    DemoModelWriter.write(folder, DemoModel.SEED);
    MinioClient storage = storage();
    // The app makes its bucket on its first use of storage, which may not have come yet: an
    // operator copying a model in first makes it as well.
    if (!storage.bucketExists(BucketExistsArgs.builder().bucket("tuneforge").build())) {
      storage.makeBucket(MakeBucketArgs.builder().bucket("tuneforge").build());
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          storage.putObject(
              PutObjectArgs.builder()
                  .bucket("tuneforge")
                  .object("models/demo/" + file.getFileName())
                  .stream(in, Files.size(file), 16L * 1024 * 1024)
                  .build());
        }
        Files.delete(file);
      }
    }
    Files.delete(folder);
    send(
        adminKey,
        "/api/v1/models",
        "{\"name\":\"" + DemoModel.NAME + "\",\"prefix\":\"models/demo/\"}");
  }

  /** A new tenant with a member and their API key, provisioned with the admin's key. */
  String memberKey(String tenant) {
    send(adminKey, "/api/tenants", "{\"name\":\"" + tenant + "\"}");
    send(
        adminKey,
        "/api/tenants/" + tenant + "/users",
        "{\"username\":\"member\",\"role\":\"MEMBER\",\"password\":\"correct-horse-9\"}");
    return JSON.readTree(
            send(
                adminKey,
                "/api/tenants/" + tenant + "/users/member/api-keys",
                "{\"name\":\"images\"}"))
        .path("key")
        .asString();
  }

  String send(String key, String path, String json) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(baseUrl + path))
                      .header("Authorization", "Bearer " + key)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(json))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 299);
      return response.body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(path, e);
    }
  }

  List<String> adapterKeys() throws Exception {
    List<String> keys = new ArrayList<>();
    for (Result<Item> item :
        storage()
            .listObjects(
                ListObjectsArgs.builder()
                    .bucket("tuneforge")
                    .prefix("tenants/")
                    .recursive(true)
                    .build())) {
      String key = item.get().objectName();
      if (key.contains("/adapter/")) {
        keys.add(key);
      }
    }
    return keys;
  }

  private MinioClient storage() {
    return MinioClient.builder().endpoint(s3Endpoint).credentials(accessKey, secretKey).build();
  }
}
