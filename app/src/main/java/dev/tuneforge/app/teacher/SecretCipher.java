package dev.tuneforge.app.teacher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * AES-256-GCM under the platform secret. Each value gets a fresh 96-bit nonce, and the row it
 * belongs to is bound in as associated data, so a ciphertext copied to another row (or tenant) does
 * not decrypt. The key is resolved on first use, so a platform that stores no secrets never needs
 * one.
 */
@Component
@EnableConfigurationProperties(SecretsProperties.class)
public class SecretCipher {
  private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);
  private static final String VERSION = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int MIN_KEY_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretsProperties properties;
  private @Nullable SecretKey key;

  SecretCipher(SecretsProperties properties) {
    this.properties = properties;
  }

  public String encrypt(String plaintext, String boundTo) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return VERSION
          + Base64.getEncoder()
              .encodeToString(
                  ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not encrypt a secret", e);
    }
  }

  /**
   * @throws IllegalStateException when the platform secret changed or the value was tampered with
   */
  public String decrypt(String stored, String boundTo) {
    if (!stored.startsWith(VERSION)) {
      throw new IllegalStateException("The stored secret has an unknown format");
    }
    byte[] bytes = Base64.getDecoder().decode(stored.substring(VERSION.length()));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      return new String(
          cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "The stored API key cannot be decrypted: the platform secret (tuneforge.secrets.key) changed; save the key again");
    }
  }

  private synchronized SecretKey key() {
    if (key == null) {
      key = new SecretKeySpec(sha256(secret()), "AES");
    }
    return key;
  }

  private String secret() {
    String configured = properties.key();
    if (configured != null && !configured.isBlank()) {
      if (configured.length() < MIN_KEY_LENGTH) {
        throw new IllegalStateException(
            "tuneforge.secrets.key has "
                + configured.length()
                + " characters; it needs at least "
                + MIN_KEY_LENGTH);
      }
      return configured;
    }
    Path file = Path.of(properties.keyFile()).toAbsolutePath();
    try {
      if (Files.exists(file)) {
        String stored = Files.readString(file).strip();
        if (stored.length() < MIN_KEY_LENGTH) {
          throw new IllegalStateException(
              "The platform secret in "
                  + file
                  + " is too short; it needs at least "
                  + MIN_KEY_LENGTH
                  + " characters");
        }
        return stored;
      }
      byte[] random = new byte[32];
      RANDOM.nextBytes(random);
      String generated = Base64.getEncoder().encodeToString(random);
      Files.createDirectories(file.getParent());
      Files.writeString(file, generated + "\n");
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        log.debug("No POSIX permissions on {}", file);
      }
      log.warn(
          "No tuneforge.secrets.key set: generated a platform secret in {}. Back it up; without it stored"
              + " API keys cannot be decrypted.",
          file);
      return generated;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read or create the platform secret "
              + file
              + "; set tuneforge.secrets.key or tuneforge.secrets.key-file",
          e);
    }
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
