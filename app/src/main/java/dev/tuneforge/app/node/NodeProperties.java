package dev.tuneforge.app.node;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How long a node may stay silent before it is offline, how long a lease lasts without a heartbeat,
 * how long a lease request waits for work, above what size a merged model is sharded (default
 * Hugging Face's 5 GB), how long a node's credential lasts before it must enrol again, and how long
 * a presigned URL of a lease outlives the lease it was signed for ({@code url-slack}: the lease's
 * inputs and outputs, checkpoint and merged-file uploads are valid for the lease's duration plus
 * this).
 */
@ConfigurationProperties("tuneforge.nodes")
record NodeProperties(
    Duration heartbeatTimeout,
    Duration leaseDuration,
    Duration leasePollWait,
    @DefaultValue("5GB") DataSize mergeMaxShardSize,
    @DefaultValue("365d") Duration credentialLifetime,
    @DefaultValue("2m") Duration urlSlack) {

  /** How long a URL signed for a lease now stays valid: a lease's duration plus the slack. */
  Duration urlValidity() {
    return leaseDuration.plus(urlSlack);
  }
}
