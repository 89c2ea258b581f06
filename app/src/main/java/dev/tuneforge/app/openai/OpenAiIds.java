package dev.tuneforge.app.openai;

import java.util.UUID;

/**
 * The ids the API shows, in OpenAI's manner: {@code file-…} for a dataset version, {@code ftjob-…}
 * for a fine-tune, {@code ftevent-…} for one of its events. Each wraps our own id.
 */
final class OpenAiIds {
  static final String FILE = "file-";
  static final String JOB = "ftjob-";
  static final String EVENT = "ftevent-";
  static final String CHECKPOINT = "ftckpt-";

  private OpenAiIds() {}

  static String file(UUID versionId) {
    return FILE + versionId;
  }

  static String job(UUID jobId) {
    return JOB + jobId;
  }

  /**
   * Our id inside an API id.
   *
   * @throws OpenAiException 404 when {@code id} is not one of {@code prefix}'s ids
   */
  static UUID parse(String prefix, String id, String what, String param) {
    if (id.startsWith(prefix)) {
      try {
        return UUID.fromString(id.substring(prefix.length()));
      } catch (IllegalArgumentException notAnId) {
        // answered below, as for any other unknown id
      }
    }
    throw OpenAiException.notFound(what, id, param);
  }
}
