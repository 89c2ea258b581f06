package dev.tuneforge.app.finetune;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The name a tuned model answers to over the OpenAI-compatible API, in OpenAI's pattern {@code
 * ft:BASE:TENANT:SUFFIX:ID}: the base model's catalogue name, the tenant's name as a slug, the
 * job's own name (empty when it has none) and the job's id. The id is what finds the job; the other
 * parts are there for people, and a name whose parts do not match its job's names no other model.
 *
 * @param base the base model's catalogue name
 * @param tenant the tenant's name as a slug (lower case, {@code a-z 0-9 . _ -})
 * @param suffix the job's own name, or empty
 * @param jobId the fine-tune job that made the model
 */
public record FineTunedModelName(String base, String tenant, String suffix, UUID jobId) {
  private static final String PREFIX = "ft:";

  /** The name of the model a job made, for its base model's and its tenant's names. */
  public static FineTunedModelName of(
      String baseModelName, String tenantName, @Nullable String suffix, UUID jobId) {
    return new FineTunedModelName(
        baseModelName.replace(':', '-'), slug(tenantName), suffix == null ? "" : suffix, jobId);
  }

  /**
   * The parts of a tuned model's name, read from the right (a base model's name may hold anything
   * but the id, suffix and tenant segments cannot hold a colon); empty for anything else.
   */
  public static Optional<FineTunedModelName> parse(@Nullable String name) {
    if (name == null || !name.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String rest = name.substring(PREFIX.length());
    int idAt = rest.lastIndexOf(':');
    int suffixAt = idAt < 0 ? -1 : rest.lastIndexOf(':', idAt - 1);
    int tenantAt = suffixAt < 0 ? -1 : rest.lastIndexOf(':', suffixAt - 1);
    if (tenantAt <= 0) {
      return Optional.empty();
    }
    UUID jobId;
    try {
      jobId = UUID.fromString(rest.substring(idAt + 1));
    } catch (IllegalArgumentException notAnId) {
      return Optional.empty();
    }
    return Optional.of(
        new FineTunedModelName(
            rest.substring(0, tenantAt),
            rest.substring(tenantAt + 1, suffixAt),
            rest.substring(suffixAt + 1, idAt),
            jobId));
  }

  /** Whether {@code name} is a tuned model's name rather than a base model's. */
  public static boolean isTuned(@Nullable String name) {
    return parse(name).isPresent();
  }

  /** A tenant's name as it shows in model names: lower case, runs of anything else as one dash. */
  static String slug(String tenantName) {
    String slug =
        tenantName
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9._-]+", "-")
            .replaceAll("^-+|-+$", "");
    return slug.isEmpty() ? "tenant" : slug;
  }

  /** {@code ft:BASE:TENANT:SUFFIX:ID}. */
  @Override
  public String toString() {
    return PREFIX + base + ":" + tenant + ":" + suffix + ":" + jobId;
  }
}
