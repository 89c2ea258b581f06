package dev.tuneforge.launcher;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * What a browser test class shares, as a JUnit extension: a local platform in a fresh data folder
 * and Debian's chromium, started before the class's tests and stopped after them. The folder is
 * deleted when every test passed, else kept for a look. Register it on a static field:
 * {@code @RegisterExtension static final BrowserPlatform env = new BrowserPlatform(s -> s);}
 */
final class BrowserPlatform implements BeforeAllCallback, AfterAllCallback, TestWatcher {
  private final UnaryOperator<LocalPlatform.Settings> settings;
  private @Nullable Path dataDir;
  private @Nullable LocalPlatform platform;
  private @Nullable Playwright playwright;
  private @Nullable Browser browser;
  private volatile boolean failed;

  /** {@code settings} adjusts the platform's test settings (e.g. without a training node). */
  BrowserPlatform(UnaryOperator<LocalPlatform.Settings> settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir =
        Files.createTempDirectory(
            "tuneforge-" + context.getRequiredTestClass().getSimpleName() + "-");
    platform =
        LocalPlatform.start(
            settings.apply(LocalPlatform.Settings.forTests(dataDir.resolve("platform"))));
    playwright = BrowserSupport.playwright();
    browser = BrowserSupport.chromium(playwright);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    PlatformTestSupport.closeAndClean(
        platform, dataDir, !failed && context.getExecutionException().isEmpty());
  }

  @Override
  public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
    failed = true;
  }

  LocalPlatform platform() {
    if (platform == null) {
      throw new IllegalStateException("The platform starts before the class's tests");
    }
    return platform;
  }

  Browser browser() {
    if (browser == null) {
      throw new IllegalStateException("The browser starts before the class's tests");
    }
    return browser;
  }
}
