package dev.tuneforge.app.apikey;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The text of a key: {@code tf_} and 43 base62 characters (256 random bits), its SHA-256 hash for
 * storage and its display prefix.
 */
final class KeyText {
  static final String PREFIX = "tf_";
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int RANDOM_CHARS = 43;
  private static final int SHOWN_CHARS = 8;

  /** Also what a configured bootstrap key must look like: at least 32 characters after tf_. */
  private static final Pattern WELL_FORMED = Pattern.compile("tf_[0-9A-Za-z]{32,100}");

  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyText() {}

  static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    BigInteger value = new BigInteger(1, bytes);
    BigInteger base = BigInteger.valueOf(BASE62.length());
    char[] chars = new char[RANDOM_CHARS];
    for (int i = RANDOM_CHARS - 1; i >= 0; i--) {
      BigInteger[] division = value.divideAndRemainder(base);
      chars[i] = BASE62.charAt(division[1].intValue());
      value = division[0];
    }
    return PREFIX + new String(chars);
  }

  static boolean wellFormed(String text) {
    return WELL_FORMED.matcher(text).matches();
  }

  /** SHA-256, hex: keys carry 256 random bits, so a fast unsalted hash is as strong as needed. */
  static String hash(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String shown(String text) {
    return text.substring(0, Math.min(text.length(), PREFIX.length() + SHOWN_CHARS));
  }
}
