package dev.tuneforge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The local platform's web port listens on this machine only unless told to listen on every
 * interface.
 */
class LocalAddressTest {

  @Test
  void theAppListensOnLoopbackUnlessGivenAnAddress() {
    LocalPlatform.Settings settings = LocalPlatform.Settings.fromEnvironment();
    if (System.getenv("TUNEFORGE_ADDRESS") == null) {
      assertThat(settings.appProperties()).containsEntry("server.address", "127.0.0.1");
    }
    assertThat(
            settings
                .withArguments(new String[] {"--address", "0.0.0.0", "--data", "elsewhere"})
                .appProperties())
        .containsEntry("server.address", "0.0.0.0");
    assertThat(settings.withArguments(new String[] {"--data", "elsewhere"}).dataDir())
        .isEqualTo(Path.of("elsewhere").toAbsolutePath());
  }
}
