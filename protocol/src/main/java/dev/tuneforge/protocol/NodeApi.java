package dev.tuneforge.protocol;

/**
 * Paths of the node API, relative to the app's base URL. Every call but {@link #ENROL} carries
 * {@code Authorization: Bearer <node credential>}.
 */
public final class NodeApi {
  /**
   * The version of this protocol a node speaks, sent with its {@link EnrolRequest}. Version 2 added
   * merge leases ({@link Lease#MERGE}), which a node of version 1 would take for training: the app
   * enrols nodes of versions {@link #OLDEST_PROTOCOL_VERSION} to this one and gives merges only to
   * nodes of version 2 or later.
   */
  public static final int PROTOCOL_VERSION = 2;

  /** The oldest version the app still enrols (and leases training jobs to). */
  public static final int OLDEST_PROTOCOL_VERSION = 1;

  /** The first version that takes {@link Lease#MERGE} leases. */
  public static final int MERGE_PROTOCOL_VERSION = 2;

  /** The version of a node that sends none: the first, from before nodes sent theirs. */
  public static final int UNSTATED_PROTOCOL_VERSION = 1;

  public static final String BASE = "/api/node/v1";

  /**
   * A header on every call of a node: an id its agent picks when it starts. A lease poll or
   * heartbeat with another id than the node's last one tells the app the node started again, so the
   * jobs it ran before go back in the queue at once instead of when their leases run out.
   */
  public static final String BOOT_HEADER = "Tuneforge-Node-Boot";

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

  /**
   * Fresh presigned PUT URLs for a training lease's {@link Lease#outputs()} (no body; answered with
   * {@link CheckpointUrls}), for the node that holds the lease now; any other node gets 409. Upload
   * URLs live about as long as a lease, so a node asks for these when it is about to upload, and a
   * node that lost its lease can no longer write a job's outputs. An app without this call answers
   * 404: the lease's own URLs are used then.
   */
  public static final String OUTPUTS = BASE + "/jobs/{jobId}/outputs";

  /**
   * Fresh presigned GET URLs for a lease's {@link Lease#inputs()} (no body; answered with {@link
   * CheckpointUrls} keyed as the lease's inputs), for the node that holds the lease now; any other
   * node, and a job the app does not know, gets 409 with an error body. Download URLs live about as
   * long as a lease, so a node whose download storage refused (403) asks for these once and tries
   * again, and a node that lost its lease can no longer read a job's inputs. An app without this
   * call answers 404: the download fails then.
   */
  public static final String INPUTS = BASE + "/jobs/{jobId}/inputs";

  /**
   * For a merge lease: a {@link MergedFiles} naming the files of the merged model (no path)
   * answered with a presigned PUT URL per name ({@link CheckpointUrls}); only the node holding the
   * merge gets them.
   */
  public static final String MERGED_FILES = BASE + "/jobs/{jobId}/merged-files";

  /**
   * Long poll by a node that serves: the body is a {@link GenerationPoll} (what it has loaded, how
   * many requests it takes); 200 with a JSON list of {@link GenerationRequest}s (at most that many,
   * at least one), or 204 when none came within the wait. A node polls again as soon as it can take
   * more; a node whose heartbeat reply's {@link HeartbeatReply#servingPolicy()} is {@value
   * HeartbeatReply#SERVING_OFF} does not poll.
   */
  public static final String GENERATIONS = BASE + "/generations";

  /**
   * The node posts one {@link GenerationChunk} per call, in order, for the generation {@code
   * {requestId}} it was handed; 204. 404 when the app no longer waits for it (the caller went
   * away): the node stops generating it.
   */
  public static final String GENERATION_CHUNKS = GENERATIONS + "/{requestId}/chunks";

  /**
   * Fresh presigned GET URLs for the files of the generation {@code {requestId}} (no body; answered
   * with {@link GenerationFiles}), for the node that took it while its caller still waits; any
   * other node, a generation that ended, and a model no longer served get 409 with an error body. A
   * request's download URLs live about as long as a lease, so a node whose download storage refused
   * (403), such as a later file of a large model, asks for these once and tries again. An app
   * without this call answers 404: the download fails then.
   */
  public static final String GENERATION_FILES = GENERATIONS + "/{requestId}/files";

  private NodeApi() {}

  public static String forGeneration(String template, Object requestId) {
    return template.replace("{requestId}", requestId.toString());
  }

  public static String forJob(String template, Object jobId) {
    return template.replace("{jobId}", jobId.toString());
  }

  public static String forCheckpoint(String template, Object jobId, int step) {
    return forJob(template, jobId).replace("{step}", Integer.toString(step));
  }
}
