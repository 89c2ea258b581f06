package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.TimeoutError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What the browser tests share: Debian's chromium through Playwright, and signing in. */
final class BrowserSupport {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private BrowserSupport() {}

  static Playwright playwright() {
    return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  static Browser chromium(Playwright playwright) {
    return playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM)
        .setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run")));
  }

  static void signIn(Page page, String baseUrl, String username, String password) {
    page.navigate(baseUrl + "/login");
    page.locator("input[name='username']").fill(username);
    page.locator("input[name='password']").fill(password);
    page.locator("input[name='password']").press("Enter");
    assertThat(page.locator("#signed-in-user")).hasText(username);
  }

  /**
   * As the signed-in platform admin, creates a tenant and a member of it through the tenants
   * page, and signs out.
   */
  static void createTenantAndMember(Page page, String baseUrl, String tenant, String member, String password) {
    page.navigate(baseUrl + "/admin/users");
    page.locator("#tenant-name input").fill(tenant);
    page.locator("#create-tenant").click();
    assertThat(page.locator("#tenants-grid")).containsText(tenant);
    page.locator("#user-tenant input").fill(tenant);
    page.locator("vaadin-combo-box-item", new Page.LocatorOptions().setHasText(tenant)).first().click();
    page.locator("#user-username input").fill(member);
    page.locator("#user-password input").fill(password);
    page.locator("#create-user").click();
    assertThat(page.locator("#users-grid")).containsText(member);
    page.getByText("Sign out").click();
    assertThat(page.locator("vaadin-login-form")).isVisible();
  }

  /**
   * Opens a Vaadin select and clicks the first item whose text matches. A click that lands while
   * another select's overlay is still closing does not open this one, so opening is retried.
   */
  static void choose(Page page, String select, Pattern item) {
    Locator option = page.locator("vaadin-select-item:visible", new Page.LocatorOptions().setHasText(item)).first();
    for (int attempt = 1; ; attempt++) {
      page.locator(select).click();
      try {
        option.waitFor(new Locator.WaitForOptions().setTimeout(5_000));
        break;
      } catch (TimeoutError notOpened) {
        if (attempt == 3) {
          throw notOpened;
        }
        page.keyboard().press("Escape");
      }
    }
    option.click();
  }

  static void screenshot(Page page, String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", name)).setFullPage(true));
  }
}
