package dev.tuneforge.app.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a new password must be: at least 12 characters, not the user name (in any case), and not one
 * of the common passwords shipped in {@code common-passwords.txt}.
 */
final class PasswordPolicy {
  static final int MIN_LENGTH = 12;
  private static final Set<String> COMMON = load();

  private PasswordPolicy() {}

  /**
   * @throws IllegalArgumentException saying which rule {@code password} breaks
   */
  static void check(String username, String password) {
    if (password.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("A password needs at least " + MIN_LENGTH + " characters");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    String name = username.strip().toLowerCase(Locale.ROOT);
    if (lower.equals(name)) {
      throw new IllegalArgumentException("A password may not be the user name");
    }
    if (COMMON.contains(lower)) {
      throw new IllegalArgumentException(
          "This password is one of the most common ones; choose another");
    }
  }

  private static Set<String> load() {
    try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("common-passwords.txt is missing from the classpath");
      }
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        return reader
            .lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .map(line -> line.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
