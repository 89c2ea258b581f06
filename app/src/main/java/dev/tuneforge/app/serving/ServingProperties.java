package dev.tuneforge.app.serving;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a generation waits for a serving node to take it before the caller gets 503, how long a
 * taken generation may go without a chunk before it fails (the node died), and how long a serving
 * node's poll waits for work.
 */
@ConfigurationProperties("tuneforge.serving")
record ServingProperties(
    @DefaultValue("30s") Duration pickupTimeout,
    @DefaultValue("120s") Duration chunkTimeout,
    @DefaultValue("20s") Duration pollWait) {}
