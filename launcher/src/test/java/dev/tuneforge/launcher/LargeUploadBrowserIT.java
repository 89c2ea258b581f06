package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A member uploads a 40 MB chat JSONL file: the browser sends it to object storage in parts, the
 * progress bar reaches 100 % and the quality report shows every row. A second upload, on a slow
 * connection, is cancelled midway and leaves nothing in storage: no staged object, no unfinished
 * multipart upload, no record and no dataset.
 */
class LargeUploadBrowserIT {
  private static final int ROWS = 40_000;
  private static final LocatorAssertions.ContainsTextOptions LONG =
      new LocatorAssertions.ContainsTextOptions().setTimeout(60_000);

  @TempDir static Path data;

  @RegisterExtension
  static final BrowserPlatform env = new BrowserPlatform(s -> s.withStartNode(false));

  @Test
  void aLargeFileGoesToStorageInPartsWithProgressAndACancelledOneLeavesNothing()
      throws IOException {
    Page page = env.browser().newContext().newPage();
    BrowserSupport.signIn(page, env.platform().baseUrl(), "admin", env.platform().adminPassword());
    BrowserSupport.createTenantAndMember(
        page, env.platform().baseUrl(), "upload-team", "ursula", "ursula-password");
    BrowserSupport.signIn(page, env.platform().baseUrl(), "ursula", "ursula-password");
    page.navigate(env.platform().baseUrl() + "/datasets");

    Path big = chatJsonl(data.resolve("big-receipts.jsonl"), ROWS, "");
    assertThat(Files.size(big)).isBetween(40L << 20, 60L << 20);
    page.locator("#dataset-name input").fill("big-receipts");
    page.locator("#dataset-upload input[type=file]").setInputFiles(big);
    assertThat(page.locator("#upload-progress-text"))
        .containsText(
            String.format(
                "%.1f of %.1f MB · 100 %%",
                Files.size(big) / 1_048_576.0, Files.size(big) / 1_048_576.0),
            LONG);
    assertThat(
            ((Number) page.locator("#upload-progress").evaluate("bar => bar.value")).doubleValue())
        .isEqualTo(1.0);
    assertThat(page.locator("#upload-report #quality-rows"))
        .hasText(ROWS + " rows", new LocatorAssertions.HasTextOptions().setTimeout(60_000));
    assertThat(page.locator("#upload-split")).containsText("Stored " + ROWS + " training rows");
    assertThat(page.locator("#datasets-grid")).containsText("big-receipts");
    assertThat(page.locator("#upload-progress-text")).containsText("uploaded");
    BrowserSupport.screenshot(page, "large-upload.png");
    assertNothingStaged();

    CDPSession network = page.context().newCDPSession(page);
    network.send("Network.enable");
    JsonObject slow = new JsonObject();
    slow.addProperty("offline", false);
    slow.addProperty("latency", 20);
    slow.addProperty("downloadThroughput", -1);
    slow.addProperty("uploadThroughput", 2 * 1024 * 1024);
    network.send("Network.emulateNetworkConditions", slow);
    Path cancelled = chatJsonl(data.resolve("cancelled.jsonl"), ROWS, "x");
    page.locator("#dataset-name input").fill("cancelled-upload");
    page.locator("#dataset-upload input[type=file]").setInputFiles(cancelled);
    Locator progress = page.locator("#upload-progress-text");
    assertThat(progress).containsText(Pattern.compile(" · ([1-9]|[1-9][0-9]) % · "), LONG);
    BrowserSupport.screenshot(page, "large-upload-in-progress.png");
    page.locator("#cancel-direct-upload").click();
    assertThat(progress).hasText("Cancelled; nothing was stored.");
    BrowserSupport.screenshot(page, "large-upload-cancelled.png");
    assertNothingStaged();
    page.reload();
    assertThat(page.locator("#datasets-grid")).containsText("big-receipts");
    assertThat(page.locator("#datasets-grid")).not().containsText("cancelled-upload");
  }

  private static void assertNothingStaged() {
    ApplicationContext app = env.platform().context();
    SignedInUser ursula = PlatformTestSupport.principal(app, "ursula");
    String prefix = ObjectKeys.tenantPrefix(ursula.tenantId());
    assertThat(app.getBean(ObjectStorage.class).list(prefix + ObjectKeys.UPLOADS))
        .as("staged objects")
        .isEmpty();
    assertThat(app.getBean(MultipartStorage.class).incompleteUploads(prefix))
        .as("unfinished uploads")
        .isEmpty();
    assertThat(
            app.getBean(JdbcClient.class)
                .sql("select count(*) from staged_upload")
                .query(Long.class)
                .single())
        .as("upload records")
        .isZero();
  }

  /** Distinct chat rows of about 1 KB each; {@code salt} makes two files differ. */
  private static Path chatJsonl(Path file, int rows, String salt) throws IOException {
    String padding = "ITEM 1 X RM 2.50 ".repeat(55);
    try (Writer out = Files.newBufferedWriter(file)) {
      for (int i = 0; i < rows; i++) {
        out.write(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Extract the total.\"},"
                + "{\"role\":\"user\",\"content\":\"receipt "
                + salt
                + i
                + " "
                + padding
                + "TOTAL RM "
                + i
                + ".00\"},"
                + "{\"role\":\"assistant\",\"content\":\"{\\\"total\\\": \\\""
                + i
                + ".00\\\"}\"}]}\n");
      }
    }
    return file;
  }
}
