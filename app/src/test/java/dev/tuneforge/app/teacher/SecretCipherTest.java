package dev.tuneforge.app.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform secret: configured, or generated once into the key file and reused after a restart.
 */
class SecretCipherTest {
  @TempDir Path dir;

  @Test
  void withoutAConfiguredKeyOneIsGeneratedOnceAndSurvivesARestart() throws Exception {
    Path file = dir.resolve("data/secrets.key");
    String sealed =
        new SecretCipher(new SecretsProperties(null, file.toString())).encrypt("sk-abc", "row-1");

    assertThat(file).exists();
    assertThat(Files.readString(file)).doesNotContain("sk-abc");
    assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
    SecretCipher afterRestart = new SecretCipher(new SecretsProperties(null, file.toString()));
    assertThat(afterRestart.decrypt(sealed, "row-1")).isEqualTo("sk-abc");
    assertThatThrownBy(() -> afterRestart.decrypt(sealed, "row-2"))
        .hasMessageContaining("cannot be decrypted");
  }

  @Test
  void aChangedPlatformSecretIsReportedNotMisread() {
    String sealed =
        new SecretCipher(new SecretsProperties("first-secret-that-is-long-enough-0001", "unused"))
            .encrypt("sk-abc", "row");
    SecretCipher other =
        new SecretCipher(new SecretsProperties("other-secret-that-is-long-enough-0002", "unused"));
    assertThatThrownBy(() -> other.decrypt(sealed, "row"))
        .hasMessageContaining("platform secret (tuneforge.secrets.key) changed");
  }

  @Test
  void aShortConfiguredSecretIsRefusedByName() {
    SecretCipher cipher = new SecretCipher(new SecretsProperties("short", "unused"));
    assertThatThrownBy(() -> cipher.encrypt("x", "row"))
        .hasMessage("tuneforge.secrets.key has 5 characters; it needs at least 32");
  }
}
