package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.principal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.account.UserLifecycleService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

/**
 * The user lifecycle through the pages, with the user's own browser open beside the admin's: a
 * disabled user's open session ends at once, a role change applies on their next request, a reset
 * password follows the policy, a user changes their own password, and a deleted user's session ends
 * while the dataset they uploaded stays with the tenant.
 */
class UserLifecycleBrowserIT {
  @RegisterExtension
  static final BrowserPlatform env = new BrowserPlatform(s -> s.withStartNode(false));

  @Test
  void disableRoleChangePasswordsAndDeleteApplyOnTheUsersNextRequest() throws Exception {
    ApplicationContext app = env.platform().context();
    String base = env.platform().baseUrl();
    SignedInUser admin = principal(app, env.platform().adminUsername());
    Tenant team = as(admin, () -> app.getBean(TenantService.class).create("Lifecycle Co"));
    as(
        admin,
        () ->
            app.getBean(AccountService.class)
                .create(team.getId(), "lena", "Lena", "lena-first-password", Role.MEMBER));
    Path file = env.platform().dataDir().resolve("lena.jsonl");
    Files.writeString(
        file,
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Total?\"},"
            + "{\"role\":\"assistant\",\"content\":\"1\"}]}\n");
    as(
        principal(app, "lena"),
        () -> app.getBean(DatasetService.class).upload("lenas-receipts", "lena.jsonl", file));
    JdbcTemplate db = new JdbcTemplate(app.getBean(DataSource.class));

    // Another tenant's admin cannot touch her.
    Tenant rival = as(admin, () -> app.getBean(TenantService.class).create("Rival Co"));
    as(
        admin,
        () ->
            app.getBean(AccountService.class)
                .create(rival.getId(), "rita", "Rita", "rita-first-password", Role.TENANT_ADMIN));
    UUID lenaId = principal(app, "lena").userId();
    assertThatThrownBy(
            () ->
                as(
                    principal(app, "rita"),
                    () -> app.getBean(UserLifecycleService.class).setEnabled(lenaId, false)))
        .isInstanceOf(AccessDeniedException.class);

    try (BrowserContext lenaContext = env.browser().newContext();
        BrowserContext adminContext = env.browser().newContext()) {
      Page lena = lenaContext.newPage();
      Page adminPage = adminContext.newPage();
      BrowserSupport.signIn(lena, base, "lena", "lena-first-password");
      BrowserSupport.signIn(
          adminPage, base, env.platform().adminUsername(), env.platform().adminPassword());
      adminPage.navigate(base + "/admin/users");

      // Disabled: her open session ends on her next request; enabled again, she signs in.
      act(adminPage, "#user-disable");
      assertThat(
              db.queryForObject(
                  "SELECT enabled FROM app_user WHERE username = 'lena'", Boolean.class))
          .isFalse();
      lena.navigate(base + "/datasets");
      assertThat(lena.locator("vaadin-login-form")).isVisible(visible());
      act(adminPage, "#user-enable");
      BrowserSupport.signIn(lena, base, "lena", "lena-first-password");

      // A member cannot open the users page; made tenant admin, she can on her next request.
      lena.navigate(base + "/admin/users");
      assertThat(lena.locator("#users-grid")).hasCount(0);
      selectUser(adminPage, "lena");
      BrowserSupport.choose(adminPage, "#user-new-role", Pattern.compile("TENANT_ADMIN"));
      adminPage.locator("#user-change-role").click();
      assertThat(adminPage.locator("vaadin-notification-card").last())
          .containsText("Changed the role of lena", text());
      assertThat(
              db.queryForObject("SELECT role FROM app_user WHERE username = 'lena'", String.class))
          .isEqualTo("TENANT_ADMIN");
      lena.navigate(base + "/admin/users");
      assertThat(lena.locator("#users-grid")).containsText("lena", text());

      // A reset password follows the policy.
      selectUser(adminPage, "lena");
      adminPage.locator("#user-new-password input").fill("short");
      adminPage.locator("#user-reset-password").click();
      assertThat(adminPage.locator("vaadin-notification-card").last())
          .containsText("at least 12 characters", text());
      adminPage.locator("#user-new-password input").fill("lena-second-password");
      adminPage.locator("#user-reset-password").click();
      assertThat(adminPage.locator("vaadin-notification-card").last())
          .containsText("Reset the password of lena", text());

      // She changes it herself: a common password is refused, then a good one works.
      lena.navigate(base + "/account/password");
      lena.locator("#current-password input").fill("lena-second-password");
      lena.locator("#new-password input").fill("Password1234");
      lena.locator("#change-password").click();
      assertThat(lena.locator("vaadin-notification-card").last())
          .containsText("most common", text());
      lena.locator("#new-password input").fill("lena-own-password-3");
      lena.locator("#change-password").click();
      assertThat(lena.locator("vaadin-notification-card").last())
          .containsText("Your password is changed", text());

      // Deleted: her session ends, her dataset stays with the tenant.
      selectUser(adminPage, "lena");
      adminPage.locator("#user-delete").click();
      assertThat(adminPage.locator("#users-grid")).not().containsText("lena");
      lena.navigate(base + "/datasets");
      assertThat(lena.locator("vaadin-login-form")).isVisible(visible());
      Map<String, Object> row =
          db.queryForMap(
              "SELECT u.username, u.deleted_at, d.name FROM app_user u"
                  + " JOIN dataset d ON d.created_by = u.id WHERE u.display_name = 'Lena'");
      assertThat((String) row.get("username")).startsWith("deleted:");
      assertThat(row.get("deleted_at")).isNotNull();
      assertThat(row.get("name")).isEqualTo("lenas-receipts");
    }
  }

  private static void act(Page adminPage, String button) {
    selectUser(adminPage, "lena");
    adminPage.locator(button).click();
    assertThat(adminPage.locator("vaadin-notification-card").last()).containsText("lena", text());
  }

  private static void selectUser(Page page, String username) {
    page.locator(
            "vaadin-grid-cell-content",
            new Page.LocatorOptions().setHasText(Pattern.compile("^" + username + "$")))
        .first()
        .click();
  }

  private static LocatorAssertions.IsVisibleOptions visible() {
    return new LocatorAssertions.IsVisibleOptions().setTimeout(30_000);
  }

  private static LocatorAssertions.ContainsTextOptions text() {
    return new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
  }
}
