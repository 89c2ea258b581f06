package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static dev.tuneforge.launcher.PlatformTestSupport.principal;
import static dev.tuneforge.launcher.PlatformTestSupport.sroieTrainingFile;
import static dev.tuneforge.launcher.PlatformTestSupport.suffix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.tuneforge.app.account.AccountService;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.dataset.DatasetService;
import dev.tuneforge.app.dataset.DatasetSummary;
import dev.tuneforge.app.dataset.tokens.TokenLengthService;
import dev.tuneforge.app.dataset.tokens.TokenLengths;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobEventRecord;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantService;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.Conversation;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ApplicationContext;

/**
 * Token lengths on the real platform (embedded PostgreSQL, S3Proxy, a training node): storing SROIE
 * counts its rows in the background under the demo model, with exactly the lengths and truncation
 * the trainer's encoder gives; another length is counted on demand; another tenant sees none of it.
 * In the browser, the preview dialog's quality report and the fine-tune form show the figures; a
 * job launched at a length that leaves rows without assistant tokens is confirmed first, and the
 * node skips exactly the rows the form said it would.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class TokenLengthsIT {
  private static final String PASSWORD = "correct-horse-1";

  private static Path dataDir;
  private static LocalPlatform platform;
  private static ApplicationContext app;
  private static boolean passed;

  @BeforeAll
  static void startPlatform() throws IOException {
    dataDir = Files.createTempDirectory("tuneforge-token-lengths-");
    platform = LocalPlatform.start(LocalPlatform.Settings.forTests(dataDir));
    app = platform.context();
  }

  @AfterAll
  static void stopPlatform() throws IOException {
    PlatformTestSupport.closeAndClean(platform, dataDir, passed);
  }

  @Test
  void aStoredVersionIsCountedAsTheTrainerEncodesItAndOnlyItsTenantSeesTheCounts()
      throws IOException {
    SignedInUser admin = principal(app, platform.adminUsername());
    Tenant a = as(admin, () -> app.getBean(TenantService.class).create("Counters " + suffix()));
    Tenant b = as(admin, () -> app.getBean(TenantService.class).create("Others " + suffix()));
    SignedInUser alice = member(admin, a, "alice-" + suffix());
    SignedInUser bob = member(admin, b, "bob-" + suffix());
    TokenLengthService tokens = app.getBean(TokenLengthService.class);
    DatasetService datasets = app.getBean(DatasetService.class);
    BaseModel demo = app.getBean(CatalogService.class).findByName(DemoModel.NAME).orElseThrow();
    assertThat(tokens.defaultModel()).map(BaseModel::getId).contains(demo.getId());

    DatasetSummary stored =
        as(alice, () -> datasets.upload("sroie", "train.jsonl", sroieTrainingFile()));
    UUID version = stored.versionId();
    TokenLengths counted =
        awaitFinished(alice, version, demo, TokenLengthService.DEFAULT_MAX_LENGTH);
    assertThat(counted.status())
        .as("error: %s", counted.error())
        .isEqualTo(TokenLengths.Status.SUCCEEDED);
    assertThat(counted.baseModelName()).isEqualTo(DemoModel.NAME);
    TokenLengths.Summary summary = counted.summary();
    assertThat(summary).isNotNull();

    Path rows = dataDir.resolve("stored-train.jsonl");
    String key = as(alice, () -> datasets.trainingFileKey(version).orElseThrow());
    try (InputStream in = app.getBean(ObjectStorage.class).open(key)) {
      Files.copy(in, rows);
    }
    Path modelDir = Files.createDirectories(dataDir.resolve("demo-model"));
    DemoModelWriter.write(modelDir, DemoModel.SEED);
    List<Conversation> conversations = ChatDataset.read(rows);
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir)) {
      List<EncodedExample> full =
          ChatEncoder.forModel(modelDir, tokenizer, Integer.MAX_VALUE).encodeAll(conversations);
      int[] lengths = full.stream().mapToInt(EncodedExample::length).sorted().toArray();
      assertThat(summary.rows()).isEqualTo(stored.rows()).isEqualTo(conversations.size());
      assertThat(summary.maxTokens()).isEqualTo(lengths[lengths.length - 1]);
      assertThat(summary.meanTokens())
          .isCloseTo(
              Arrays.stream(lengths).average().orElseThrow(),
              org.assertj.core.data.Offset.offset(1e-9));
      assertThat(summary.p50()).isEqualTo(lengths[(int) Math.ceil(0.5 * lengths.length) - 1]);
      assertThat(summary.p90()).isEqualTo(lengths[(int) Math.ceil(0.9 * lengths.length) - 1]);
      assertThat(summary.p99()).isEqualTo(lengths[(int) Math.ceil(0.99 * lengths.length) - 1]);
      assertThat(summary.histogram().stream().mapToInt(TokenLengths.Bin::rows).sum())
          .isEqualTo(conversations.size());
      assertThat(summary.assistantTokens())
          .isEqualTo(full.stream().mapToLong(EncodedExample::trainableTokens).sum());
      assertTruncationAsTheTrainerDoes(
          summary, tokenizer, modelDir, conversations, full, TokenLengthService.DEFAULT_MAX_LENGTH);

      // A length shorter than half the rows, counted on demand: those rows are the ones the trainer
      // truncates.
      int shorter = summary.p50() - 1;
      TokenLengths queued = as(alice, () -> tokens.request(version, demo.getId(), shorter));
      assertThat(queued.status().finished()).isFalse();
      TokenLengths cut = awaitFinished(alice, version, demo, shorter);
      assertThat(cut.status())
          .as("error: %s", cut.error())
          .isEqualTo(TokenLengths.Status.SUCCEEDED);
      assertThat(cut.summary().truncatedRows()).isGreaterThanOrEqualTo(conversations.size() / 2);
      assertTruncationAsTheTrainerDoes(
          cut.summary(), tokenizer, modelDir, conversations, full, shorter);
      System.out.printf(
          "SROIE under %s: p50 %d, p90 %d, p99 %d, max %d tokens; %d rows over %d%n",
          DemoModel.NAME,
          summary.p50(),
          summary.p90(),
          summary.p99(),
          summary.maxTokens(),
          cut.summary().truncatedRows(),
          shorter);
      assertThat(cut.summary().droppedRows())
          .isEqualTo(
              (int)
                  ChatEncoder.forModel(modelDir, tokenizer, shorter)
                      .encodeAll(conversations)
                      .stream()
                      .filter(e -> e.trainableTokens() == 0)
                      .count())
          .isPositive();
      UUID job = seenInTheBrowser(alice.username(), summary, cut.summary(), shorter);
      String skipped =
          awaitLog(
              alice, job, " rows have no assistant tokens left after truncation at " + shorter);
      assertThat(skipped)
          .as("the node skips the rows the form said it would")
          .contains(
              cut.summary().droppedRows()
                  + " of "
                  + conversations.size()
                  + " rows have no assistant tokens left after truncation at "
                  + shorter
                  + " and were skipped");
      as(
          alice,
          () -> {
            app.getBean(FineTuneService.class).cancel(job);
            return job;
          });
    }

    assertThat(
            as(
                bob,
                () -> tokens.find(version, demo.getId(), TokenLengthService.DEFAULT_MAX_LENGTH)))
        .isEmpty();
    assertThatThrownBy(() -> as(bob, () -> tokens.request(version, demo.getId(), 512)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No such dataset");
    assertThat(tokens.find(version, demo.getId(), TokenLengthService.DEFAULT_MAX_LENGTH))
        .as("nobody signed in")
        .isEmpty();
    assertThatThrownBy(() -> as(alice, () -> tokens.request(version, demo.getId(), 1)))
        .hasMessageContaining("The maximum length must be between 2 and");
    passed = true;
  }

  /**
   * The preview dialog shows the exact figures of both counts, in the quality report too, the
   * estimate (labelled) for a length not counted yet, counts it on demand; the fine-tune form shows
   * the truncation and skipped rows, asks before launching, raises the max length when asked to,
   * and launches anyway; returns the job.
   */
  private static UUID seenInTheBrowser(
      String username,
      TokenLengths.Summary atDefault,
      TokenLengths.Summary atShorter,
      int shorter) {
    try (Playwright playwright = BrowserSupport.playwright();
        Browser browser = BrowserSupport.chromium(playwright)) {
      Page page = browser.newPage();
      BrowserSupport.signIn(page, platform.baseUrl(), username, PASSWORD);
      page.navigate(platform.baseUrl() + "/datasets");
      page.locator("vaadin-grid-cell-content", new Page.LocatorOptions().setHasText("sroie"))
          .first()
          .click();
      assertThat(page.locator("#token-lengths-title"))
          .hasText("Token lengths under " + DemoModel.NAME);
      assertThat(page.locator("#token-lengths-percentiles"))
          .containsText(
              "p50 "
                  + atDefault.p50()
                  + ", p90 "
                  + atDefault.p90()
                  + ", p99 "
                  + atDefault.p99()
                  + ", max "
                  + atDefault.maxTokens());
      assertThat(page.locator("#token-lengths-truncated"))
          .hasText("0 rows (0.0 %) longer than 2048 tokens would be truncated");
      assertThat(page.locator("#token-lengths-chart")).isVisible();
      assertThat(page.locator("#quality-length-estimate")).hasCount(0);
      assertThat(page.locator("#quality-truncated"))
          .containsText("0 rows over 2048 tokens (0.0%) would be truncated, 0 of them");
      assertThat(page.locator("#quality-truncated"))
          .containsText("(exact, " + DemoModel.NAME + " tokenizer)");
      assertThat(page.locator("#quality-placeholders"))
          .containsText("No template placeholders left in the data");

      maxLength(page, shorter);
      assertThat(page.locator("#token-lengths-truncated"))
          .hasText(
              String.format(
                  java.util.Locale.ROOT,
                  "%d rows (%.1f %%) longer than %d tokens would be truncated",
                  atShorter.truncatedRows(),
                  atShorter.truncatedPercent(),
                  shorter));
      assertThat(page.locator("#quality-truncated"))
          .containsText(
              atShorter.truncatedRows()
                  + " rows over "
                  + shorter
                  + " tokens ("
                  + String.format(java.util.Locale.ROOT, "%.1f", atShorter.truncatedPercent())
                  + "%) would be truncated, "
                  + atShorter.droppedRows()
                  + " of them with no assistant token left (skipped in training)");

      maxLength(page, 512);
      assertThat(page.locator("#token-lengths-status")).containsText("Not counted yet");
      assertThat(page.locator("#quality-truncated"))
          .containsText("would be truncated (estimate: UTF-8 bytes ÷ 4)");
      assertThat(page.locator("#quality-length-estimate"))
          .containsText("estimates (UTF-8 bytes ÷ 4)");
      page.locator("#token-lengths-count").click();
      assertThat(page.locator("#token-lengths-truncated"))
          .containsText(
              "longer than 512 tokens would be truncated",
              new LocatorAssertions.ContainsTextOptions().setTimeout(120_000));
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(Path.of("target", "screenshots", "token-lengths.png"))
              .setFullPage(true));

      page.navigate(platform.baseUrl() + "/finetunes/new");
      page.locator("#max-steps input").fill("1");
      page.locator("#evaluation-examples input").fill("0");
      formLength(page, shorter);
      String skipped =
          atShorter.droppedRows()
              + " would lose every assistant token and be skipped (exact, "
              + DemoModel.NAME
              + " tokenizer)";
      assertThat(page.locator("#max-seq-length"))
          .containsText(
              atShorter.truncatedRows()
                  + " rows ("
                  + String.format(java.util.Locale.ROOT, "%.1f", atShorter.truncatedPercent())
                  + " %) longer than "
                  + shorter
                  + " tokens would be truncated");
      assertThat(page.locator("#max-seq-length")).containsText(skipped);
      String confirm =
          atShorter.droppedRows()
              + " of "
              + atShorter.rows()
              + " rows have no assistant tokens left after truncation at "
              + shorter
              + " and will be skipped.";
      page.locator("#launch-finetune").click();
      assertThat(page.locator("#truncation-confirm-text")).hasText(confirm);
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(Path.of("target", "screenshots", "truncation-confirm.png"))
              .setFullPage(true));
      page.locator("#truncation-raise-max-length").click();
      assertThat(page.locator("#max-seq-length input"))
          .hasValue(String.valueOf(atShorter.keepsEveryRow()));
      assertThat(page.locator("#max-seq-length"))
          .containsText(
              "0 would lose every assistant token",
              new LocatorAssertions.ContainsTextOptions().setTimeout(120_000));

      formLength(page, shorter);
      assertThat(page.locator("#max-seq-length")).containsText(skipped);
      page.locator("#launch-finetune").click();
      assertThat(page.locator("#truncation-confirm-text")).hasText(confirm);
      page.locator("#truncation-launch-anyway").click();
      page.waitForURL(java.util.regex.Pattern.compile(".*/finetunes/[0-9a-f-]{36}$"));
      String url = page.url();
      return UUID.fromString(url.substring(url.lastIndexOf('/') + 1));
    }
  }

  private static void formLength(Page page, int tokens) {
    page.locator("#max-seq-length input").fill(String.valueOf(tokens));
    page.locator("#max-seq-length input").press("Tab");
  }

  /** The job's first log message containing {@code text}, waiting for the node to report it. */
  private static String awaitLog(SignedInUser user, UUID job, String text) {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> found =
          as(user, () -> app.getBean(FineTuneService.class).events(job)).stream()
              .map(JobEventRecord::getMessage)
              .filter(m -> m != null && m.contains(text))
              .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("job " + job + " reported no \"" + text + "\" in time");
  }

  private static void maxLength(Page page, int tokens) {
    page.locator("#token-lengths-max input").fill(String.valueOf(tokens));
    page.locator("#token-lengths-max input").press("Tab");
  }

  private static void assertTruncationAsTheTrainerDoes(
      TokenLengths.Summary summary,
      HuggingFaceTokenizer tokenizer,
      Path modelDir,
      List<Conversation> conversations,
      List<EncodedExample> full,
      int maxLength)
      throws IOException {
    List<EncodedExample> trained =
        ChatEncoder.forModel(modelDir, tokenizer, maxLength).encodeAll(conversations);
    assertThat(summary.truncatedRows())
        .isEqualTo((int) trained.stream().filter(EncodedExample::truncated).count());
    long lost =
        full.stream().mapToLong(EncodedExample::trainableTokens).sum()
            - trained.stream().mapToLong(EncodedExample::trainableTokens).sum();
    assertThat(summary.assistantTokensLost()).isEqualTo(lost);
  }

  private static TokenLengths awaitFinished(
      SignedInUser user, UUID version, BaseModel model, int maxLength) {
    return PlatformTestSupport.awaitTokenLengths(app, user, version, model.getId(), maxLength);
  }

  private static SignedInUser member(SignedInUser admin, Tenant tenant, String username) {
    as(
        admin,
        () ->
            app.getBean(AccountService.class)
                .create(tenant.getId(), username, username, PASSWORD, Role.MEMBER));
    return principal(app, username);
  }
}
