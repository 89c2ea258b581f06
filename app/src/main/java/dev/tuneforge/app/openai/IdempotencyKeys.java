package dev.tuneforge.app.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} on creation, per tenant: a repeat with the same key and the same request
 * answers what the first one answered, without doing it again; the same key with another request is
 * refused with 409. Refusals are not kept: a corrected request may use the key again.
 */
@Component
class IdempotencyKeys {
  static final String HEADER = "Idempotency-Key";

  private final IdempotentAnswerRepository answers;
  private final JsonMapper json;
  private final Clock clock;

  IdempotencyKeys(IdempotentAnswerRepository answers, JsonMapper json, Clock clock) {
    this.answers = answers;
    this.json = json;
    this.clock = clock;
  }

  /**
   * The first answer for {@code key} at {@code endpoint}, or {@code create}'s answer, kept when it
   * succeeded; with no key simply {@code create}'s.
   *
   * @param request the request's bytes, compared with the first request's
   */
  ResponseEntity<?> answer(
      @Nullable String key, String endpoint, byte[] request, Supplier<ResponseEntity<?>> create) {
    if (key == null || key.isBlank()) {
      return create.get();
    }
    if (key.length() > 255) {
      throw OpenAiException.invalid("An Idempotency-Key is at most 255 characters", HEADER);
    }
    String hash = sha256(request);
    Optional<IdempotentAnswer> first = answers.findByEndpointAndIdempotencyKey(endpoint, key);
    if (first.isPresent()) {
      return repeat(first.get(), hash);
    }
    ResponseEntity<?> created = create.get();
    if (created.getStatusCode().is2xxSuccessful() && created.getBody() != null) {
      try {
        answers.saveAndFlush(
            new IdempotentAnswer(
                key,
                endpoint,
                hash,
                created.getStatusCode().value(),
                json.writeValueAsString(created.getBody()),
                clock.instant()));
      } catch (DataIntegrityViolationException concurrentRepeat) {
        // a repeat sent at the same time kept its answer first; this one stands as it is
      }
    }
    return created;
  }

  private static ResponseEntity<?> repeat(IdempotentAnswer first, String hash) {
    if (!first.getRequestHash().equals(hash)) {
      throw new OpenAiException(
          HttpStatus.CONFLICT,
          "idempotency_error",
          "This Idempotency-Key was used with another request; use a new key for a new request",
          HEADER,
          "idempotency_key_reused");
    }
    return ResponseEntity.status(first.getResponseStatus())
        .contentType(MediaType.APPLICATION_JSON)
        .header("Idempotent-Replayed", "true")
        .body(first.getResponseBody());
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The SHA-256 of a file, read as a stream. */
  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
