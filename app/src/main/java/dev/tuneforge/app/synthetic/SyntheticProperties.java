package dev.tuneforge.app.synthetic;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the generator: rows per job, and generation jobs running at once on one app instance
 * (each holds a Quartz thread, which dispatch and liveness need too).
 */
@ConfigurationProperties("tuneforge.synthetic")
record SyntheticProperties(
    @DefaultValue("50000") int maxRows, @DefaultValue("2") int maxConcurrent) {}
