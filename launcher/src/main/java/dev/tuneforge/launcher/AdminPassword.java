package dev.tuneforge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The first admin's password and API key: generated once, then read from the data folder at every
 * start.
 */
final class AdminPassword {
  /** Letters and digits only, without look-alikes, so the password is easy to copy and type. */
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private AdminPassword() {}

  static String loadOrCreate(Path file) {
    return loadOrCreate(file, "", 16);
  }

  /** The admin's API key: {@code tf_} and 44 such characters (over 250 random bits). */
  static String loadOrCreateApiKey(Path file) {
    return loadOrCreate(file, "tf_", 44);
  }

  private static String loadOrCreate(Path file, String prefix, int length) {
    try {
      if (Files.isRegularFile(file)) {
        String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!stored.isEmpty()) {
          return stored;
        }
      }
      SecureRandom random = new SecureRandom();
      StringBuilder generated = new StringBuilder(prefix);
      for (int i = 0; i < length; i++) {
        generated.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String password = generated.toString();
      Files.createDirectories(file.getParent());
      Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the file keeps its default permissions
      }
      return password;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not keep the admin's secret in " + file, e);
    }
  }
}
