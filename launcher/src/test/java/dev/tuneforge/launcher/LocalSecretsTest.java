package dev.tuneforge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local platform's storage credentials are readable by the user who runs it, no one else. */
class LocalSecretsTest {
  @TempDir Path dir;

  @Test
  void theS3ProxyPropertiesAreWrittenOwnerOnlyEvenOverAWorldReadableCopy() throws Exception {
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(properties, "old");
    Files.setPosixFilePermissions(properties, PosixFilePermissions.fromString("rw-r--r--"));

    S3ProxyServer.writePrivately(properties, "s3proxy.credential=secret\n");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(properties)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(properties)).isEqualTo("s3proxy.credential=secret\n");
  }
}
