package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.principal;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.node.NodeService;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.tenancy.TenantService;
import dev.tuneforge.app.usage.BudgetService;
import dev.tuneforge.app.usage.TokenCharge;
import dev.tuneforge.app.usage.TokenCharges;
import dev.tuneforge.app.usage.UsageSegment;
import dev.tuneforge.app.usage.UsageService;
import dev.tuneforge.protocol.EnrolRequest;
import dev.tuneforge.protocol.NodeResources;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationContext;

/**
 * The usage pages in a real browser against the local env.platform(). Two members of one team have
 * metered node time (written through the metering service, as the node API writes it), another team
 * too. The admin prices the node and sets the team's budget; a member sees the team's spend by day,
 * by kind, by job and by user and base model, the tokens bought from its teacher endpoint (a judged
 * example and a teacher call, each with its kind), the estimate on the launch form, and downloads a
 * CSV with exactly the team's rows; the admin sees every team on the platform-wide page.
 */
class UsageBrowserIT {
  // 3.60 per hour is 0.001 per second.
  private static final BigDecimal PRICE = new BigDecimal("3.6");

  @TempDir static Path data;

  @RegisterExtension
  static final BrowserPlatform env = new BrowserPlatform(s -> s.withStartNode(false));

  @Test
  void membersSeeTheirTeamsSpendAndExportItAndTheAdminSeesEveryTeam() throws IOException {
    ApplicationContext app = env.platform().context();
    SignedInUser admin = principal(app, env.platform().adminUsername());
    Tenant team = as(admin, () -> app.getBean(TenantService.class).create("Usage Co"));
    Tenant other = as(admin, () -> app.getBean(TenantService.class).create("Other Co"));
    SignedInUser una = member(app, admin, team, "una");
    SignedInUser ulf = member(app, admin, team, "ulf");
    SignedInUser olga = member(app, admin, other, "olga");
    String token = app.getBean(NodeService.class).issueEnrolmentTokenForLocalNode();
    UUID node =
        app.getBean(NodeService.class)
            .enrol(
                EnrolRequest.of(token, "gpu-a", new NodeResources("cuda", "Test GPU", 1L << 34, 8)))
            .nodeId();

    Instant dayTwo =
        app.getBean(BudgetService.class)
            .currentMonth()
            .atDay(2)
            .atTime(10, 0)
            .toInstant(java.time.ZoneOffset.UTC);
    FineTuneJob unasJob = PlatformTestSupport.queuedJob(app, una, data, "una-receipts");
    FineTuneJob ulfsJob = PlatformTestSupport.queuedJob(app, ulf, data, "ulf-receipts");
    FineTuneJob olgasJob = PlatformTestSupport.queuedJob(app, olga, data, "olga-receipts");
    meter(app, unasJob, node, dayTwo, 100, 4_000);
    meter(app, ulfsJob, node, dayTwo.plus(Duration.ofDays(1)), 200, 9_000);
    meter(app, olgasJob, node, dayTwo, 500, 20_000);
    // Tokens bought from the team's teacher endpoint: one judged example, one teacher call (free
    // endpoints, so the sums above stay as they are).
    charge(app, una, TokenCharge.JUDGE, unasJob.getId(), dayTwo.plusSeconds(600));
    charge(app, ulf, TokenCharge.TEACHER, null, dayTwo.plusSeconds(900));

    // Generous waits: the build machine is shared and a cold Vaadin page can take seconds.
    com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    Page page =
        env.browser()
            .newContext(new Browser.NewContextOptions().setAcceptDownloads(true))
            .newPage();
    page.setDefaultTimeout(30_000);
    signIn(page, "admin", env.platform().adminPassword());
    page.navigate(env.platform().baseUrl() + "/nodes");
    page.locator(
            "#nodes-grid vaadin-grid-cell-content", new Page.LocatorOptions().setHasText("gpu-a"))
        .first()
        .click();
    page.locator("#node-price input").fill("3.6");
    page.locator("#save-node-price").click();
    assertThat(page.locator("#nodes-grid")).containsText("3.60");
    assertThat(page.locator("#nodes-grid")).not().containsText("(default)");
    assertThat(page.locator("#node-classes-grid")).containsText("cuda · Test GPU");

    page.navigate(env.platform().baseUrl() + "/admin/users");
    page.locator(
            "#tenants-grid vaadin-grid-cell-content",
            new Page.LocatorOptions().setHasText("Usage Co"))
        .first()
        .click();
    page.locator("#tenant-budget input").fill("1");
    page.locator("#save-tenant-budget").click();
    assertThat(page.locator("#tenants-grid")).containsText("1.00 USD per month");

    page.navigate(env.platform().baseUrl() + "/admin/usage");
    assertThat(page.locator("#platform-usage-grid")).containsText("Usage Co");
    assertThat(page.locator("#platform-usage-grid")).containsText("Other Co");
    assertThat(page.locator("#platform-usage-total")).containsText("0.8000 USD");
    assertThat(page.locator("#usage-by-tenant rect[data-label='Usage Co']"))
        .hasAttribute("data-value", "0.3000 USD");
    assertThat(page.locator("#usage-by-tenant rect[data-label='Other Co']"))
        .hasAttribute("data-value", "0.5000 USD");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target", "screenshots", "platform-usage.png"))
            .setFullPage(true));
    page.getByText("Sign out").click();
    assertThat(page.locator("vaadin-login-form")).isVisible();

    signIn(page, "una", "una-password");
    page.navigate(env.platform().baseUrl() + "/usage");
    assertThat(page.locator("#usage-total")).containsText("Spent 0.3000 USD");
    assertThat(page.locator("#usage-total"))
        .containsText(
            "2 metered segments, 0 generations served, 1 example judged, 1 teacher generation");
    assertThat(page.locator("#token-charges-grid")).containsText("LLM judge");
    assertThat(page.locator("#token-charges-grid")).containsText("Teacher pipeline");
    assertThat(page.locator("#token-charges-grid")).containsText("teacher-api · gpt-judge");
    assertThat(page.locator("#usage-by-job rect.bar")).hasCount(2);
    assertThat(page.locator("#usage-by-job rect[data-label='" + unasJob.getLabel() + "']"))
        .hasAttribute("data-value", "0.1000 USD");
    assertThat(page.locator("#usage-by-job rect[data-label='" + ulfsJob.getLabel() + "']"))
        .hasAttribute("data-value", "0.2000 USD");
    assertThat(page.locator("#usage-budget")).containsText("Monthly budget 1.00 USD: 30.0 % used");
    assertThat(page.locator("#usage-by-day")).hasAttribute("data-bars", "2");
    assertThat(page.locator("#usage-by-day rect[data-label='2']"))
        .hasAttribute("data-value", "0.1000 USD");
    assertThat(page.locator("#usage-by-day rect[data-label='3']"))
        .hasAttribute("data-value", "0.2000 USD");
    assertThat(page.locator("#usage-by-user rect[data-label='una']"))
        .hasAttribute("data-value", "0.1000 USD");
    assertThat(page.locator("#usage-by-user rect[data-label='ulf']"))
        .hasAttribute("data-value", "0.2000 USD");
    assertThat(page.locator("#usage-by-user rect[data-label='olga']")).hasCount(0);
    assertThat(page.locator("#usage-by-model rect.bar")).hasCount(1);
    assertThat(page.locator("#usage-by-model rect.bar")).hasAttribute("data-value", "0.3000 USD");
    assertThat(page.locator("#usage-grid")).containsText("una-receipts");
    for (String adminPage : List.of("/admin/usage", "/nodes", "/admin/users")) {
      page.navigate(env.platform().baseUrl() + adminPage);
      // A member gets the app's own page, in its layout, not a redirect or a bare error.
      assertThat(page.locator("#access-denied")).containsText("Not allowed");
      org.assertj.core.api.Assertions.assertThat(page.url()).endsWith(adminPage);
    }
    BrowserSupport.screenshot(page, "access-denied.png");
    page.navigate(env.platform().baseUrl() + "/usage");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target", "screenshots", "usage.png"))
            .setFullPage(true));

    Download download = page.waitForDownload(() -> page.locator("#usage-csv").click());
    Path csv = data.resolve("usage.csv");
    download.saveAs(csv);
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows.getFirst())
        .startsWith("started_at,ended_at,kind,job,job_id,user,base_model,node,node_class");
    assertThat(rows).as("two segments, one judged example, one teacher call").hasSize(5);
    assertThat(String.join("\n", rows))
        .contains("," + unasJob.getId() + ",una,", ",judge,", ",teacher,");
    assertThat(String.join("\n", rows))
        .contains("una,", "ulf,", ",100,4000,0.100000,USD", ",200,9000,0.200000,USD")
        .doesNotContain("olga");

    page.navigate(env.platform().baseUrl() + "/finetunes/new");
    assertThat(page.locator("#cost-estimate")).containsText("cuda · Test GPU");
    assertThat(page.locator("#cost-estimate")).containsText("s start-up");
    assertThat(page.locator("#cost-estimate"))
        .containsText(
            Pattern.compile("tokens \\((exact count|[0-9.]+ bytes per token, sampled)\\)"));
    assertThat(page.locator("#cost-estimate"))
        .containsText(Pattern.compile("speeds (measured on|assumed)"));
    String before = page.locator("#cost-estimate").textContent();
    page.locator("#epochs input").fill("7");
    page.locator("#epochs input").press("Tab");
    assertThat(page.locator("#cost-estimate")).not().hasText(before);
    assertThat(page.locator("#cost-estimate"))
        .containsText(Pattern.compile("USD on cuda · Test GPU"));
  }

  private static SignedInUser member(
      ApplicationContext app, SignedInUser admin, Tenant tenant, String name) {
    as(
        admin,
        () ->
            app.getBean(AccountService.class)
                .create(tenant.getId(), name, name, name + "-password", Role.MEMBER));
    return principal(app, name);
  }

  /** A finished stretch on the node, as the node API meters it. */
  private static void meter(
      ApplicationContext app,
      FineTuneJob job,
      UUID node,
      Instant start,
      long seconds,
      long tokens) {
    UsageService usage = app.getBean(UsageService.class);
    usage.open(
        new UsageSegment(
            job.getTenantId(),
            job.getId(),
            job.getName(),
            job.getCreatedBy(),
            job.getBaseModelId(),
            node,
            "gpu-a",
            "cuda · Test GPU",
            PRICE,
            0,
            start));
    usage.close(job.getId(), tokens, start.plusSeconds(seconds));
  }

  /**
   * Tokens bought from the team's (free) teacher endpoint, as the judge and pipeline record them.
   */
  private static void charge(
      ApplicationContext app, SignedInUser user, String kind, UUID job, Instant at) {
    TenantContext.callAs(
        user.tenantId(),
        () ->
            app.getBean(TokenCharges.class)
                .charge(
                    new TokenCharge.Charged(
                        kind,
                        UUID.randomUUID(),
                        job,
                        "teacher-api",
                        "gpt-judge",
                        user.userId(),
                        user.username(),
                        120,
                        8,
                        TokenCharge.Prices.NONE,
                        at)));
  }

  private static void signIn(Page page, String username, String password) {
    BrowserSupport.signIn(page, env.platform().baseUrl(), username, password);
  }
}
