package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform admin sets a tenant's storage quota on the tenants page; that tenant's member sees it
 * on their quotas page, and their upload is refused with the quota named, storing nothing; a member
 * of another tenant sees only their own team's default.
 */
class QuotaBrowserIT {
  @TempDir static Path data;

  @RegisterExtension
  static final BrowserPlatform env = new BrowserPlatform(s -> s.withStartNode(false));

  @Test
  void anAdminsQuotaRefusesAMembersUploadAndTheMemberSeesIt() throws Exception {
    String base = env.platform().baseUrl();
    try (BrowserContext adminContext = env.browser().newContext();
        BrowserContext memberContext = env.browser().newContext();
        BrowserContext otherContext = env.browser().newContext()) {
      Page admin = adminContext.newPage();
      signInAdmin(admin);
      BrowserSupport.createTenantAndMember(admin, base, "quota-team", "quinn", "quinn-password-1");
      signInAdmin(admin);
      BrowserSupport.createTenantAndMember(admin, base, "other-team", "otto", "otto-password-1");
      signInAdmin(admin);
      admin.navigate(base + "/admin/users");
      admin
          .locator(
              "#tenants-grid vaadin-grid-cell-content",
              new Page.LocatorOptions().setHasText("quota-team"))
          .first()
          .click();
      // 0.000001 GiB: 1073 bytes, less than the file below.
      admin.locator("#tenant-quota-storage input").fill("0.000001");
      admin.locator("#save-tenant-quotas").click();
      assertThat(admin.locator("vaadin-notification-card").last())
          .containsText("Quotas of quota-team saved", contains());

      Page member = memberContext.newPage();
      BrowserSupport.signIn(member, base, "quinn", "quinn-password-1");
      assertStorageQuota(member, "1.0 KiB");
      assertThat(member.locator("#quota-queued_jobs"))
          .hasText("0 queued fine-tunes in use; the quota is 100 queued fine-tunes", text());

      member.navigate(base + "/datasets");
      Path file = data.resolve("receipts.jsonl");
      Files.writeString(file, rows(20));
      member.locator("#dataset-name input").fill("too-big");
      member.locator("#dataset-upload input[type=file]").setInputFiles(file);
      assertThat(member.locator("#upload-problems"))
          .containsText("Your team's quota of 1.0 KiB of storage is reached", contains());
      // Nothing of the refused upload is stored.
      assertStorageQuota(member, "1.0 KiB");

      Page other = otherContext.newPage();
      BrowserSupport.signIn(other, base, "otto", "otto-password-1");
      assertStorageQuota(other, "100.0 GiB");
    }
  }

  /** The member's quotas page shows nothing stored and the storage quota {@code limit}. */
  private static void assertStorageQuota(Page page, String limit) {
    page.navigate(env.platform().baseUrl() + "/quotas");
    assertThat(page.locator("#quota-storage_bytes"))
        .hasText("0 bytes of storage in use; the quota is " + limit + " of storage", text());
  }

  private static void signInAdmin(Page page) {
    BrowserSupport.signIn(
        page,
        env.platform().baseUrl(),
        env.platform().adminUsername(),
        env.platform().adminPassword());
  }

  private static String rows(int count) {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < count; i++) {
      rows.append("{\"messages\":[{\"role\":\"user\",\"content\":\"Total of receipt ")
          .append(i)
          .append("?\"},{\"role\":\"assistant\",\"content\":\"")
          .append(i)
          .append(".00\"}]}\n");
    }
    return rows.toString();
  }

  private static LocatorAssertions.ContainsTextOptions contains() {
    return new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);
  }

  private static LocatorAssertions.HasTextOptions text() {
    return new LocatorAssertions.HasTextOptions().setTimeout(30_000);
  }
}
