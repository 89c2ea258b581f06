package dev.tuneforge.protocol;

/**
 * Paths of the node API, relative to the app's base URL. Every call but {@link #ENROL} carries
 * {@code Authorization: Bearer <node credential>}.
 */
public final class NodeApi {
  public static final String BASE = "/api/node/v1";
  public static final String ENROL = BASE + "/enrol";
  public static final String HEARTBEAT = BASE + "/heartbeat";
  /** Long poll: 200 with a {@link Lease}, or 204 when no job came within the wait. */
  public static final String LEASE = BASE + "/lease";
  /** {@code {jobId}} is replaced by the leased job's id. */
  public static final String EVENTS = BASE + "/jobs/{jobId}/events";
  public static final String RESULT = BASE + "/jobs/{jobId}/result";

  private NodeApi() {}

  public static String forJob(String template, Object jobId) {
    return template.replace("{jobId}", jobId.toString());
  }
}
