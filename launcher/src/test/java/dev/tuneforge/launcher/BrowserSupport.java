package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What the browser tests share: Debian's chromium through Playwright, and signing in. */
final class BrowserSupport {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private BrowserSupport() {}

  static Playwright playwright() {
    return Playwright.create(
        new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  static Browser chromium(Playwright playwright) {
    return playwright
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

  static void signIn(Page page, String baseUrl, String username, String password) {
    page.navigate(baseUrl + "/login");
    page.locator("input[name='username']").fill(username);
    page.locator("input[name='password']").fill(password);
    page.locator("input[name='password']").press("Enter");
    // The first page after signing in builds its view and session; on a loaded machine that takes
    // longer than an assertion's default 5 s.
    assertThat(page.locator("#signed-in-user"))
        .hasText(username, new LocatorAssertions.HasTextOptions().setTimeout(30_000));
  }

  /**
   * As the signed-in platform admin, creates a tenant and a member of it through the tenants page,
   * and signs out.
   */
  static void createTenantAndMember(
      Page page, String baseUrl, String tenant, String member, String password) {
    page.navigate(baseUrl + "/admin/users");
    page.locator("#tenant-name input").fill(tenant);
    page.locator("#create-tenant").click();
    assertThat(page.locator("#tenants-grid")).containsText(tenant);
    page.locator("#user-tenant input").fill(tenant);
    page.locator("vaadin-combo-box-item", new Page.LocatorOptions().setHasText(tenant))
        .first()
        .click();
    page.locator("#user-username input").fill(member);
    page.locator("#user-password input").fill(password);
    page.locator("#create-user").click();
    assertThat(page.locator("#users-grid")).containsText(member);
    page.getByText("Sign out").click();
    assertThat(page.locator("vaadin-login-form")).isVisible();
  }

  /**
   * Opens a Vaadin select and clicks the first item whose text matches. The overlay of an earlier
   * choice keeps its items visible while it closes: a click on the select in that moment does not
   * open it, and an item found then vanishes before it can be clicked. (The chosen value shows as a
   * copy of its item outside the list box, so only the list box's items count.) So this waits for
   * any earlier overlay to close first, and retries opening and clicking with short timeouts.
   */
  static void choose(Page page, String select, Pattern item) {
    Locator anyItem = page.locator("vaadin-select-list-box vaadin-select-item:visible").first();
    Locator option =
        page.locator(
                "vaadin-select-list-box vaadin-select-item:visible",
                new Page.LocatorOptions().setHasText(item))
            .first();
    for (int attempt = 1; ; attempt++) {
      try {
        anyItem.waitFor(
            new Locator.WaitForOptions().setState(WaitForSelectorState.HIDDEN).setTimeout(5_000));
        page.locator(select).click();
        option.click(new Locator.ClickOptions().setTimeout(5_000));
        return;
      } catch (TimeoutError notChosen) {
        if (attempt == 4) {
          throw notChosen;
        }
        page.keyboard().press("Escape");
      }
    }
  }

  static void screenshot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target", "screenshots", name))
            .setFullPage(true));
  }
}
