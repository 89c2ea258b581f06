package dev.tuneforge.app.dataset;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Upload limits.
 *
 * @param maxUploadBytes the largest file (training or validation) a member may upload
 * @param abandonedUploadAge how long a browser upload may stay unfinished before the clean-up
 *     aborts it and deletes what it staged
 */
@ConfigurationProperties("tuneforge.datasets")
record DatasetProperties(
    @DefaultValue("2147483648") long maxUploadBytes, @DefaultValue("24h") Duration abandonedUploadAge) {}
