package dev.tuneforge.app.node;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long a node may stay silent before it is offline, how long a lease lasts without a heartbeat,
 * and how long a lease request waits for work.
 */
@ConfigurationProperties("tuneforge.nodes")
record NodeProperties(Duration heartbeatTimeout, Duration leaseDuration, Duration leasePollWait) {}
