package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member generates an extraction dataset with a teacher model, in a real browser against the
 * local platform with real object storage; the teacher is a fake OpenAI-compatible endpoint.
 */
class TeacherPipelineBrowserIT {
  @TempDir static Path data;
  static LocalPlatform platform;
  static Playwright playwright;
  static Browser browser;
  static FakeTeacherEndpoint teacher;

  @BeforeAll
  static void start() throws Exception {
    teacher = new FakeTeacherEndpoint();
    platform =
        LocalPlatform.start(
            LocalPlatform.Settings.forTests(data.resolve("platform"))
                .withStartNode(false)
                .withAppProperties(
                    Map.of(
                        "tuneforge.secrets.key-file",
                        data.resolve("platform/secrets.key").toString(),
                        // The fake teacher listens on loopback: an administrator allows it.
                        "tuneforge.outbound.allow-http",
                        "true",
                        "tuneforge.outbound.allowed-hosts",
                        "127.0.0.1:" + URI.create(teacher.baseUrl()).getPort())));
    playwright = BrowserSupport.playwright();
    browser = BrowserSupport.chromium(playwright);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
    if (platform != null) platform.close();
    if (teacher != null) teacher.close();
  }

  @Test
  void aMemberTurnsATeacherRunIntoADatasetVersion() {
    Page page = browser.newPage();
    BrowserSupport.signIn(page, platform.baseUrl(), "admin", platform.adminPassword());
    BrowserSupport.createTenantAndMember(
        page, platform.baseUrl(), "teachers", "tess", "tess-password");

    BrowserSupport.signIn(page, platform.baseUrl(), "tess", "tess-password");
    page.getByText("Teacher pipeline").first().click();
    page.locator("#endpoint-name input").fill("fake teacher");
    page.locator("#endpoint-base-url input").fill(teacher.baseUrl());
    page.locator("#endpoint-model input").fill("fake-model");
    page.locator("#endpoint-api-key input").fill("sk-browser-secret-9z9z");
    page.locator("#save-endpoint").click();
    assertThat(page.locator("#teacher-endpoints")).containsText("••••9z9z");
    assertThat(page.locator("#teacher-endpoints")).not().containsText("sk-browser-secret");
    page.locator("#teacher-endpoints").getByText("fake teacher").click();
    page.locator("#test-connection").click();
    assertThat(page.locator("#endpoint-message")).containsText("the model answered \"ok\"");

    page.locator("#run-endpoint").click();
    page.locator("vaadin-select-item", new Page.LocatorOptions().setHasText("fake teacher"))
        .click();
    page.locator("#run-name input").fill("synthetic-receipts");
    page.locator("#run-schema textarea").fill("company: the seller\ntotal: the amount paid");
    page.locator("#run-categories input").fill("2");
    page.locator("#run-subtopics input").fill("1");
    page.locator("#run-documents input").fill("2");
    page.locator("#launch-run").click();

    assertThat(page.locator("#run-status"))
        .containsText("succeeded", new LocatorAssertions.ContainsTextOptions().setTimeout(60_000));
    assertThat(page.locator("#run-progress-label")).hasText("100%");
    assertThat(page.locator("#run-rejections"))
        .containsText("The total does not match the receipt");
    assertThat(page.locator("#run-rows")).containsText("\"runId\"");
    assertThat(page.locator("#run-dataset")).containsText("synthetic-receipts (v1, 2 rows)");
    BrowserSupport.screenshot(page, "teacher-run.png");

    page.navigate(platform.baseUrl() + "/datasets");
    assertThat(page.locator("#datasets-grid")).containsText("synthetic-receipts");
    assertThat(page.locator("#datasets-grid")).containsText("teacher-run-");
  }
}
