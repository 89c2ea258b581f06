package dev.tuneforge.protocol;

/**
 * Paths of the node API, relative to the app's base URL. Every call but {@link #ENROL} carries
 * {@code Authorization: Bearer <node credential>}.
 */
public final class NodeApi {
  /**
   * The version of this protocol a node speaks, sent with its {@link EnrolRequest}; the app refuses
   * to enrol a node of another version.
   */
  public static final int PROTOCOL_VERSION = 1;

  /** The version of a node that sends none: the first, from before nodes sent theirs. */
  public static final int UNSTATED_PROTOCOL_VERSION = 1;

  public static final String BASE = "/api/node/v1";

  /**
   * 200 with an {@link EnrolResponse}; 403 for a bad token, 409 for a node of another protocol
   * version.
   */
  public static final String ENROL = BASE + "/enrol";

  public static final String HEARTBEAT = BASE + "/heartbeat";

  /** Long poll: 200 with a {@link Lease}, or 204 when no job came within the wait. */
  public static final String LEASE = BASE + "/lease";

  /** {@code {jobId}} is replaced by the leased job's id. */
  public static final String EVENTS = BASE + "/jobs/{jobId}/events";

  public static final String RESULT = BASE + "/jobs/{jobId}/result";

  /**
   * A {@link CheckpointUpload} for checkpoint {@code step-{step}} answered with {@link
   * CheckpointUrls}; after the files are uploaded, {@link #CHECKPOINT_COMPLETE} (no body) makes it
   * the job's checkpoint to resume from.
   */
  public static final String CHECKPOINT = BASE + "/jobs/{jobId}/checkpoints/{step}";

  public static final String CHECKPOINT_COMPLETE = CHECKPOINT + "/complete";

  private NodeApi() {}

  public static String forJob(String template, Object jobId) {
    return template.replace("{jobId}", jobId.toString());
  }

  public static String forCheckpoint(String template, Object jobId, int step) {
    return forJob(template, jobId).replace("{step}", Integer.toString(step));
  }
}
