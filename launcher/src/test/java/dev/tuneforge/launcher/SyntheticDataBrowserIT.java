package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.principal;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A member defines extraction fields in the browser, previews three rows, is told what is wrong
 * with a bad field, generates a dataset in the background and follows the link to it.
 */
class SyntheticDataBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  static Path data;
  static LocalPlatform platform;
  static Playwright playwright;
  static Browser browser;

  @BeforeAll
  static void start() throws java.io.IOException {
    // Under target/ rather than a temporary folder, so that the app's log stays for a look.
    data =
        java.nio.file.Files.createTempDirectory(
            java.nio.file.Files.createDirectories(Path.of("target", "it-data")),
            "synthetic-browser-");
    platform =
        LocalPlatform.start(
            LocalPlatform.Settings.forTests(data.resolve("platform")).withStartNode(false));
    SignedInUser admin = principal(platform.context(), platform.adminUsername());
    Tenant tenant =
        as(admin, () -> platform.context().getBean(TenantService.class).create("synthetic-co"));
    as(
        admin,
        () ->
            platform
                .context()
                .getBean(AccountService.class)
                .create(tenant.getId(), "gina", "Gina", "gina-password", Role.MEMBER));
    playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run")));
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
    if (platform != null) platform.close();
  }

  @Test
  void aMemberGeneratesAnInvoiceDatasetFromFieldsTheyDefine() {
    Page page = browser.newPage();
    page.setViewportSize(1400, 1000);
    page.navigate(platform.baseUrl() + "/login");
    page.locator("input[name='username']").fill("gina");
    page.locator("input[name='password']").fill("gina-password");
    page.locator("input[name='password']").press("Enter");
    assertThat(page.locator("#signed-in-user")).hasText("gina");

    page.getByText("Generate data").click();
    assertThat(page.locator("#fields-grid")).isVisible();
    page.locator("#add-field").click();
    page.locator("#field-name-3 input").fill("invoice_number");
    page.locator("#field-type-3").click();
    page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("id").setExact(true))
        .click();
    page.locator("#field-examples-3 input").fill("INV-2024-0042");
    page.locator("#document-kind").click();
    page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("Invoice").setExact(true))
        .click();
    page.locator("#noise input").fill("0");
    page.locator("#preview-rows").click();
    // The example is a pattern: letters and digits vary, dashes stay.
    assertThat(page.locator("#preview-answer-2"))
        .containsText(Pattern.compile("\"invoice_number\":\"[A-Z]{3}-\\d{4}-\\d{4}\""));
    assertThat(page.locator("#preview-document-0"))
        .containsText(Pattern.compile("[A-Z]{3}-\\d{4}-\\d{4}"));
    assertThat(page.locator("#generation-problem")).isHidden();

    page.locator("#row-count input").fill("400");
    page.locator("#generate-dataset-name input").fill("synthetic invoices");
    page.locator("#start-generation").click();
    assertThat(page.locator("#generation-jobs"))
        .containsText("succeeded", new LocatorAssertions.ContainsTextOptions().setTimeout(120_000));
    assertThat(page.locator("#generation-jobs")).containsText("400 / 400 rows");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target", "screenshots", "generate-data.png"))
            .setFullPage(true));

    page.locator("#add-field").click();
    page.locator("#field-name-4 input").fill("2number");
    page.locator("#start-generation").click();
    assertThat(page.locator("#generation-problem"))
        .containsText("Field name '2number' must start with a letter");
    page.locator("#field-name-4 input").fill("due_date");
    page.locator("#preview-rows").click();
    assertThat(page.locator("#generation-problem")).isHidden();
    assertThat(page.locator("#preview-answer-0")).containsText("\"due_date\":");

    page.locator("[id^=generation-dataset-]").click();
    assertThat(page.locator("#datasets-grid")).containsText("synthetic invoices");
    assertThat(page.locator("#datasets-grid")).containsText("400");
  }
}
